/*
 * SP-200 occlusion detector (SI-014, class C).
 *
 * Force acquisition results in, occlusion and sensor-fault events out. Called from the sensor task
 * every 10 ms; no RTOS calls, no dynamic memory, all state in occl_t.
 */
#ifndef SP200_OCCLUSION_H
#define SP200_OCCLUSION_H

#include <stdbool.h>
#include <stdint.h>

typedef enum { OCCL_LEVEL_LOW = 0, OCCL_LEVEL_MEDIUM, OCCL_LEVEL_HIGH, OCCL_LEVEL_COUNT } occl_level_t;

typedef enum {
    OCCL_EVENT_NONE = 0,
    OCCL_EVENT_THRESHOLD = 1u << 0, /* branch (a) of SRS-067 */
    OCCL_EVENT_TREND = 1u << 1,     /* branch (b) of SRS-067 */
    OCCL_EVENT_SENSOR_FAULT = 1u << 2,
} occl_event_t;

/* One sample every 10 s for 15 min: the trend window of SRS-067 (b). */
#define OCCL_TREND_SAMPLES 90u

typedef struct {
    uint32_t area_mm2_x100;   /* syringe cross-section, 0.01 mm^2 (from the syringe database) */
    occl_level_t level;
    uint32_t ticks;           /* 10 ms ticks since start */
    int32_t friction_offset_mN;
    int64_t friction_sum_mN;
    uint32_t friction_samples;
    bool friction_learned;
    uint16_t above_threshold_ticks;
    int32_t trend[OCCL_TREND_SAMPLES];
    uint8_t trend_count;
    uint8_t trend_head;
    bool trend_rising;
    uint32_t last_raw;
    uint16_t frozen_ticks;
    int32_t pressure_mmHg;
} occl_t;

typedef struct {
    int32_t force_mN;        /* filtered force (100-tap FIR output) */
    uint32_t raw_adc;        /* unfiltered 24-bit ADC value, for the frozen-value check */
    uint16_t vref_mV;        /* ADC reference measured this cycle */
    uint32_t rate_uL_h;      /* commanded rate */
    bool motor_moving;
} occl_input_t;

void occl_init(occl_t *o, uint32_t area_mm2_x100, occl_level_t level);
uint32_t occl_update_10ms(occl_t *o, const occl_input_t *in);
int32_t occl_threshold_mmHg(occl_level_t level);
bool occl_relief_done(const occl_t *o);
void occl_respond(occl_t *o, uint32_t events);

#endif /* SP200_OCCLUSION_H */
