/*
 * SP-200 air-in-line detector (SI-015, class C).
 *
 * Fed with the 2 ms status frames of the ultrasonic air sensor clip (UART7 DMA) and the
 * volumetric flow measured by the plunger encoder.
 */
#ifndef SP200_AIR_IN_LINE_H
#define SP200_AIR_IN_LINE_H

#include <stdbool.h>
#include <stdint.h>

#define AIR_BINS 15u  /* one bin per minute: the 15 min accumulation window of SRS-012 */

typedef enum {
    AIR_EVENT_NONE = 0,
    AIR_EVENT_SINGLE_BUBBLE = 1u << 0,
    AIR_EVENT_ACCUMULATED = 1u << 1,
    AIR_EVENT_SENSOR_LOST = 1u << 2,
} air_event_t;

typedef struct {
    bool valid;            /* checksum correct */
    bool air;              /* "air" state of the sensor in this 2 ms frame */
} air_frame_t;

typedef struct {
    bool in_bubble;
    uint64_t bubble_pL;            /* picolitres: 55 pL per frame at 0.1 mL/h, no truncation to zero
                                      (7.1.2 cause of HS-006) */
    uint64_t bins_pL[AIR_BINS];
    uint8_t bin;
    uint32_t ticks_in_bin;
    uint16_t missing_frames;
    bool latched;
} air_t;

void air_init(air_t *a);
uint32_t air_on_frame(air_t *a, const air_frame_t *frame, uint32_t flow_pL_per_2ms);
uint32_t air_on_missing_frame(air_t *a, bool infusing);
void air_confirm_cleared(air_t *a);
void air_respond(uint32_t events);

#endif /* SP200_AIR_IN_LINE_H */
