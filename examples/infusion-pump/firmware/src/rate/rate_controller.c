/*
 * SP-200 rate controller and stepper driver (SI-011, class C).
 */
#include "rate_controller.h"

#include "../alarm/alarm_manager.h"

/* Hardware access layer (STM32CubeH7 LL wrappers, not part of this excerpt). */
extern void hal_step_timer_stop(void);
extern void hal_step_timer_reverse(uint32_t speed_um_per_min);
extern void hal_driver_enable(bool on);
extern void hal_spi1_write(uint8_t reg, uint32_t value);

#define US_PER_HOUR 3600000000ULL
#define RELIEF_SPEED_UM_PER_MIN 20000u      /* 20 mm/min */
#define RELIEF_MAX_UL 500u                  /* 0.5 mL equivalent travel */
#define DRV_STATUS_FAULT_MASK 0x0000000Eu   /* over-temperature, short to ground, open load */

/* Driver register set of SRS-024: 1/16 microstepping, 256x interpolation, 0.8 A run, 0.4 A hold. */
static const drv_reg_t k_driver_config[] = {
    {0x00u, 0x000000C4u}, /* GCONF: stallGuard off */
    {0x10u, 0x00061F0Fu}, /* IHOLD_IRUN: 0.4 A / 0.8 A */
    {0x6Cu, 0x14410153u}, /* CHOPCONF: MRES 1/16, INTPOL */
};
#define DRIVER_REGS (sizeof k_driver_config / sizeof k_driver_config[0])

/* @implements SRS-001 */
rate_status_t rate_to_step_period(uint32_t rate_uL_h, uint32_t area_mm2_x100, step_schedule_t *out)
{
    if ((rate_uL_h < RATE_MIN_UL_H) || (rate_uL_h > RATE_MAX_UL_H)) {
        return RATE_ERR_RANGE;
    }
    if (area_mm2_x100 == 0u) {
        return RATE_ERR_SYRINGE;
    }
    /*
     * steps/h = rate[uL/h] * STEPS_PER_MM / A[mm^2]; period = 1 h / steps.
     * Computed in 64 bits: rate x cross-section overflowed 32 bits at 1200 mL/h with the
     * 60 mL syringe in the first prototype (7.1.2 cause of HS-001).
     */
    const uint64_t numerator = US_PER_HOUR * (uint64_t)area_mm2_x100;
    const uint64_t denominator = (uint64_t)rate_uL_h * STEPS_PER_MM * 100ULL;
    out->period_us = (uint32_t)(numerator / denominator);
    out->fraction = numerator % denominator;
    out->divisor = denominator;
    out->accumulator = 0u;
    return RATE_OK;
}

/* @implements SRS-001 */
uint32_t rate_next_interval_us(step_schedule_t *s)
{
    /* Even distribution: the fractional part is carried from step to step, never bunched. */
    uint32_t interval = s->period_us;
    s->accumulator += s->fraction;
    if (s->accumulator >= s->divisor) {
        s->accumulator -= s->divisor;
        interval += 1u;
    }
    return interval;
}

void rate_stop(rate_stop_reason_t reason)
{
    hal_step_timer_stop();
    if (reason == RATE_STOP_DRIVER_FAULT) {
        hal_driver_enable(false);
    }
}

/* @implements SRS-008 */
void rate_relief_start(void)
{
    hal_step_timer_reverse(RELIEF_SPEED_UM_PER_MIN);
}

/* @implements SRS-008 */
bool rate_relief_step(uint32_t travel_steps, uint32_t area_mm2_x100, bool pressure_below_half)
{
    /* Travel limit in steps for 0.5 mL of this syringe: V[uL] = travel[mm] * A[mm^2]. */
    const uint64_t max_steps = ((uint64_t)RELIEF_MAX_UL * STEPS_PER_MM * 100ULL) / area_mm2_x100;
    if (pressure_below_half || ((uint64_t)travel_steps >= max_steps)) {
        hal_step_timer_stop();
        return true; /* relief finished; reverse travel is never counted as negative VI */
    }
    return false;
}

/* @implements SRS-024 */
void drv_configure(void)
{
    for (uint32_t i = 0u; i < DRIVER_REGS; i++) {
        hal_spi1_write(k_driver_config[i].reg, k_driver_config[i].value);
    }
}

/* @implements SRS-024 */
bool drv_check_readback(const drv_reg_t *readback, uint32_t count, uint32_t status_flags)
{
    bool ok = (count == DRIVER_REGS) && ((status_flags & DRV_STATUS_FAULT_MASK) == 0u);
    for (uint32_t i = 0u; ok && (i < DRIVER_REGS); i++) {
        ok = (readback[i].reg == k_driver_config[i].reg) && (readback[i].value == k_driver_config[i].value);
    }
    if (!ok) {
        rate_stop(RATE_STOP_DRIVER_FAULT);
        alarm_raise(ALARM_E22_MOTOR_DRIVE);
    }
    return ok;
}
