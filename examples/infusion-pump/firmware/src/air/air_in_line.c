/*
 * SP-200 air-in-line detector (SI-015, class C): bubble volume, 15 min accumulation, sensor
 * presence supervision and the air alarm response.
 */
#include "air_in_line.h"

#include <string.h>

#include "../alarm/alarm_manager.h"
#include "../rate/rate_controller.h"

#define SINGLE_BUBBLE_PL 50000000ULL      /* 50 uL */
#define MIN_ACCUMULATED_PL 10000000ULL    /* bubbles below 10 uL are ignored for the accumulation */
#define ACCUMULATED_LIMIT_PL 1000000000ULL /* 1.0 mL in 15 min */
#define FRAMES_PER_MIN 30000u        /* 2 ms frames */
#define LOST_FRAMES 100u             /* 200 ms without a valid frame */

void air_init(air_t *a)
{
    (void)memset(a, 0, sizeof *a);
}

static uint64_t accumulated_pL(const air_t *a)
{
    uint64_t sum = 0u;
    for (uint8_t i = 0u; i < AIR_BINS; i++) {
        sum += a->bins_pL[i];
    }
    return sum;
}

static void advance_window(air_t *a)
{
    if (++a->ticks_in_bin >= FRAMES_PER_MIN) {
        a->ticks_in_bin = 0u;
        a->bin = (uint8_t)((a->bin + 1u) % AIR_BINS);
        a->bins_pL[a->bin] = 0u; /* the bin leaving the 15 min window is dropped */
    }
}

/* @implements SRS-012 */
uint32_t air_on_frame(air_t *a, const air_frame_t *frame, uint32_t flow_pL_per_2ms)
{
    uint32_t events = AIR_EVENT_NONE;
    if (!frame->valid) {
        return air_on_missing_frame(a, true); /* a bad checksum counts as a missing frame */
    }
    a->missing_frames = 0u;
    advance_window(a);

    if (frame->air) {
        a->in_bubble = true;
        a->bubble_pL += flow_pL_per_2ms; /* volume = flow integrated over the air signal */
        if (a->bubble_pL >= SINGLE_BUBBLE_PL) {
            events |= AIR_EVENT_SINGLE_BUBBLE;
        }
    } else if (a->in_bubble) {
        if (a->bubble_pL >= MIN_ACCUMULATED_PL) {
            a->bins_pL[a->bin] += a->bubble_pL;
        }
        a->in_bubble = false;
        a->bubble_pL = 0u;
    } else {
        /* no air, no bubble ending */
    }
    if (accumulated_pL(a) >= ACCUMULATED_LIMIT_PL) {
        events |= AIR_EVENT_ACCUMULATED;
    }
    return events;
}

/* @implements SRS-032 */
uint32_t air_on_missing_frame(air_t *a, bool infusing)
{
    if (a->missing_frames < UINT16_MAX) {
        a->missing_frames++;
    }
    advance_window(a);
    return (infusing && (a->missing_frames > LOST_FRAMES)) ? (uint32_t)AIR_EVENT_SENSOR_LOST : 0u;
}

/* @implements SRS-032 */
void air_respond(uint32_t events)
{
    if (events == AIR_EVENT_NONE) {
        return;
    }
    rate_stop(RATE_STOP_AIR); /* within the next 2 ms frame, well inside 100 ms */
    alarm_raise(((events & AIR_EVENT_SENSOR_LOST) != 0u) ? ALARM_AIR_SENSOR_DISCONNECTED : ALARM_AIR_IN_LINE);
}

/* @implements SRS-032 */
void air_confirm_cleared(air_t *a)
{
    /* Restart only after the user confirms that the air was removed; the accumulator restarts. */
    (void)memset(a->bins_pL, 0, sizeof a->bins_pL);
    a->bubble_pL = 0u;
    a->in_bubble = false;
}
