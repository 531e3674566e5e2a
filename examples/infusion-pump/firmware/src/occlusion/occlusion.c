/*
 * SP-200 occlusion detector (SI-014, class C): pressure estimate, friction offset learning,
 * threshold and trend detection, force sensor plausibility, occlusion response.
 *
 * MISRA C:2012 with the deviations of DEV-SP200-04; analysed with Polyspace Code Prover.
 */
#include "occlusion.h"

#include "../alarm/alarm_manager.h"
#include "../rate/rate_controller.h"

#define TICKS_PER_S 100u
#define FRICTION_LEARN_TICKS (60u * TICKS_PER_S)
#define RELEARN_PERIOD_TICKS (30u * 60u * TICKS_PER_S)
#define DEBOUNCE_TICKS 50u                   /* 500 ms */
#define TREND_PERIOD_TICKS (10u * TICKS_PER_S)
#define TREND_RISE_MMHG 150
#define TREND_NOISE_MMHG 2
#define TREND_MAX_RATE_UL_H 5000u            /* 5 mL/h */
#define FORCE_MIN_MN (-5000)
#define FORCE_MAX_MN 150000
#define FROZEN_TICKS 50u                     /* 500 ms */
#define VREF_MIN_MV 2450u
#define VREF_MAX_MV 2550u

static const int32_t k_threshold_mmHg[OCCL_LEVEL_COUNT] = {300, 525, 900};

int32_t occl_threshold_mmHg(occl_level_t level)
{
    return (level < OCCL_LEVEL_COUNT) ? k_threshold_mmHg[level] : k_threshold_mmHg[OCCL_LEVEL_LOW];
}

void occl_init(occl_t *o, uint32_t area_mm2_x100, occl_level_t level)
{
    *o = (occl_t){0};
    o->area_mm2_x100 = (area_mm2_x100 == 0u) ? 1u : area_mm2_x100;
    o->level = (level < OCCL_LEVEL_COUNT) ? level : OCCL_LEVEL_LOW;
}

/* @implements SRS-067 */
static int32_t pressure_mmHg(const occl_t *o, int32_t force_mN)
{
    /* p[Pa] = F[mN] * 1000 / A[mm^2]; 1 mmHg = 133.322 Pa. 64-bit: no overflow at 150 N, 5 mL. */
    const int64_t net_mN = (int64_t)force_mN - (int64_t)o->friction_offset_mN;
    return (int32_t)((net_mN * 100000LL * 10000LL) / ((int64_t)o->area_mm2_x100 * 1333220LL));
}

/* @implements SRS-067 */
static void learn_friction(occl_t *o, int32_t force_mN)
{
    /*
     * Learned over the first 60 s after start and re-learned over 60 s every 30 min for seal
     * drift, but a window in which the pressure trend rises is discarded: at 0.1 mL/h the slow
     * occlusion rise was absorbed into the offset (PR-001, corrected by CR-001).
     */
    const uint32_t phase = (o->ticks - 1u) % RELEARN_PERIOD_TICKS;
    if (phase == 0u) {
        o->friction_sum_mN = 0;
        o->friction_samples = 0u;
    }
    if (phase >= FRICTION_LEARN_TICKS) {
        return;
    }
    if (o->trend_rising) {
        o->friction_sum_mN = 0;
        o->friction_samples = 0u; /* this window can no longer complete */
        return;
    }
    o->friction_sum_mN += force_mN;
    o->friction_samples++;
    if ((phase == (FRICTION_LEARN_TICKS - 1u)) && (o->friction_samples == FRICTION_LEARN_TICKS)) {
        o->friction_offset_mN = (int32_t)(o->friction_sum_mN / (int64_t)FRICTION_LEARN_TICKS);
        o->friction_learned = true;
    }
}

/* @implements SRS-067 */
static bool trend_detected(occl_t *o, uint32_t rate_uL_h)
{
    if ((o->ticks % TREND_PERIOD_TICKS) != 0u) {
        return false;
    }
    o->trend[o->trend_head] = o->pressure_mmHg;
    o->trend_head = (uint8_t)((o->trend_head + 1u) % OCCL_TREND_SAMPLES);
    if (o->trend_count < OCCL_TREND_SAMPLES) {
        o->trend_count++;
    }
    /* Monotonic rise over the samples held (noise band of 2 mmHg). */
    const uint8_t oldest = (o->trend_count < OCCL_TREND_SAMPLES) ? 0u : o->trend_head;
    bool monotonic = true;
    for (uint8_t i = 1u; i < o->trend_count; i++) {
        const int32_t prev = o->trend[(oldest + i - 1u) % OCCL_TREND_SAMPLES];
        const int32_t cur = o->trend[(oldest + i) % OCCL_TREND_SAMPLES];
        if (cur < (prev - TREND_NOISE_MMHG)) {
            monotonic = false;
            break;
        }
    }
    const int32_t rise =
        o->trend[(oldest + o->trend_count - 1u) % OCCL_TREND_SAMPLES] - o->trend[oldest];
    o->trend_rising = monotonic && (o->trend_count >= 2u) && (rise > 0);
    return (rate_uL_h <= TREND_MAX_RATE_UL_H) && (o->trend_count == OCCL_TREND_SAMPLES) && monotonic &&
           (rise >= TREND_RISE_MMHG);
}

/* @implements SRS-018 */
static bool sensor_fault(occl_t *o, const occl_input_t *in)
{
    if ((in->force_mN < FORCE_MIN_MN) || (in->force_mN > FORCE_MAX_MN)) {
        return true;
    }
    if ((in->vref_mV < VREF_MIN_MV) || (in->vref_mV > VREF_MAX_MV)) {
        return true;
    }
    if (in->motor_moving && (in->raw_adc == o->last_raw)) {
        if (o->frozen_ticks < UINT16_MAX) {
            o->frozen_ticks++;
        }
    } else {
        o->frozen_ticks = 0u;
    }
    o->last_raw = in->raw_adc;
    return o->frozen_ticks >= FROZEN_TICKS;
}

/* @implements SRS-067, SRS-018 */
uint32_t occl_update_10ms(occl_t *o, const occl_input_t *in)
{
    uint32_t events = OCCL_EVENT_NONE;
    o->ticks++;
    if (sensor_fault(o, in)) {
        return OCCL_EVENT_SENSOR_FAULT;
    }
    learn_friction(o, in->force_mN);
    o->pressure_mmHg = pressure_mmHg(o, in->force_mN);

    if (o->pressure_mmHg > occl_threshold_mmHg(o->level)) {
        if (o->above_threshold_ticks < DEBOUNCE_TICKS) {
            o->above_threshold_ticks++;
        }
    } else {
        o->above_threshold_ticks = 0u;
    }
    if (o->above_threshold_ticks >= DEBOUNCE_TICKS) {
        events |= OCCL_EVENT_THRESHOLD;
    }
    if (trend_detected(o, in->rate_uL_h)) {
        events |= OCCL_EVENT_TREND;
    }
    return events;
}

/* @implements SRS-008 */
bool occl_relief_done(const occl_t *o)
{
    /* Compare with 50 % of the active threshold, not of the default one (7.1.2 cause of HS-005). */
    return o->pressure_mmHg < (occl_threshold_mmHg(o->level) / 2);
}

/* @implements SRS-031, SRS-008 */
void occl_respond(occl_t *o, uint32_t events)
{
    if ((events & OCCL_EVENT_SENSOR_FAULT) != 0u) {
        rate_stop(RATE_STOP_SENSOR_FAULT);
        alarm_raise(ALARM_E14_PRESSURE_SENSOR);
        return;
    }
    if ((events & (OCCL_EVENT_THRESHOLD | OCCL_EVENT_TREND)) != 0u) {
        rate_stop(RATE_STOP_OCCLUSION);  /* motor stopped within the next 10 ms step tick */
        alarm_raise(ALARM_OCCLUSION);    /* latched: cleared only by the user (SRS-031) */
        if (!occl_relief_done(o)) {
            rate_relief_start();
        }
    }
}
