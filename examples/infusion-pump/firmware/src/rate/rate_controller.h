/*
 * SP-200 rate controller and stepper driver (SI-011, class C).
 *
 * Converts the commanded rate into a microstep schedule for TIM8, runs the post-occlusion pressure
 * relief and configures and monitors the stepper driver IC over SPI1.
 */
#ifndef SP200_RATE_CONTROLLER_H
#define SP200_RATE_CONTROLLER_H

#include <stdbool.h>
#include <stdint.h>

#define RATE_MIN_UL_H 100u        /* 0.1 mL/h */
#define RATE_MAX_UL_H 1200000u    /* 1200 mL/h */
#define STEPS_PER_MM 6400u        /* 3200 microsteps per revolution, 0.5 mm lead */

typedef enum {
    RATE_STOP_USER = 0,
    RATE_STOP_OCCLUSION,
    RATE_STOP_AIR,
    RATE_STOP_SENSOR_FAULT,
    RATE_STOP_DRIVER_FAULT,
} rate_stop_reason_t;

typedef enum { RATE_OK = 0, RATE_ERR_RANGE, RATE_ERR_SYRINGE } rate_status_t;

typedef struct {
    uint32_t period_us;     /* integer part of the step period */
    uint64_t fraction;      /* remainder of the period division */
    uint64_t divisor;       /* denominator of the period division */
    uint64_t accumulator;   /* Bresenham accumulator: spreads the fractional microseconds evenly */
} step_schedule_t;

typedef struct {
    uint8_t reg;
    uint32_t value;
} drv_reg_t;

rate_status_t rate_to_step_period(uint32_t rate_uL_h, uint32_t area_mm2_x100, step_schedule_t *out);
uint32_t rate_next_interval_us(step_schedule_t *s);

void rate_stop(rate_stop_reason_t reason);
void rate_relief_start(void);
bool rate_relief_step(uint32_t travel_steps, uint32_t area_mm2_x100, bool pressure_below_half);

void drv_configure(void);
bool drv_check_readback(const drv_reg_t *readback, uint32_t count, uint32_t status_flags);

#endif /* SP200_RATE_CONTROLLER_H */
