/*
 * Unit tests of the air-in-line detector SI-015 (Unity 2.6 + CMock, host build gcc -m32).
 * CTest names: "[TC-015] air bubble volume and accumulation", "[TC-016] air sensor signal loss".
 */
#include "unity.h"

#include "air/air_in_line.h"
#include "mock_alarm_manager.h"
#include "mock_rate_controller.h"

static air_t air;

void setUp(void)
{
    air_init(&air);
}

void tearDown(void) {}

/* Flow per 2 ms frame in pL for a rate in uL/h: 55 pL at 0.1 mL/h, 666 666 pL at 1200 mL/h. */
static uint32_t flow_pL(uint32_t rate_uL_h)
{
    return (uint32_t)(((uint64_t)rate_uL_h * 1000000u * 2u) / 3600000u);
}

static uint32_t bubble(uint64_t volume_pL, uint32_t rate_uL_h)
{
    const uint32_t per_frame = flow_pL(rate_uL_h);
    const air_frame_t air_frame = {.valid = true, .air = true};
    const air_frame_t liquid = {.valid = true, .air = false};
    uint32_t events = 0u;
    for (uint64_t v = 0u; v < volume_pL; v += per_frame) {
        events |= air_on_frame(&air, &air_frame, per_frame);
    }
    return events | air_on_frame(&air, &liquid, per_frame);
}

// @verifies SRS-012, RC-005, SI-015
void test_TC015_single_bubble_threshold(void)
{
    TEST_ASSERT_EQUAL_UINT32(0u, bubble(45000000u, 600000u) & AIR_EVENT_SINGLE_BUBBLE);
    setUp();
    TEST_ASSERT_EQUAL_UINT32(AIR_EVENT_SINGLE_BUBBLE, bubble(50000000u, 600000u) & AIR_EVENT_SINGLE_BUBBLE);
}

// @verifies SRS-012, RC-005
void test_TC015_accumulation_limit_1_mL(void)
{
    /* 20 uL bubbles at 100 mL/h: the 50th bubble reaches 1.0 mL within the 15 min window */
    uint32_t events = 0u;
    for (uint32_t i = 0u; i < 49u; i++) {
        events |= bubble(20000000u, 100000u);
    }
    TEST_ASSERT_EQUAL_UINT32(0u, events & AIR_EVENT_ACCUMULATED);
    events |= bubble(20000000u, 100000u);
    TEST_ASSERT_EQUAL_UINT32(AIR_EVENT_ACCUMULATED, events & AIR_EVENT_ACCUMULATED);
}

// @verifies SRS-012
void test_TC015_low_rate_volume_not_truncated(void)
{
    /* One 12 uL bubble at 0.1 mL/h (7.2 min of air signal) is accumulated within +/- 10 % */
    (void)bubble(12000000u, 100u);
    uint64_t sum = 0u;
    for (uint32_t i = 0u; i < AIR_BINS; i++) {
        sum += air.bins_pL[i];
    }
    TEST_ASSERT_DOUBLE_WITHIN(1.2e6, 12.0e6, (double)sum);
}

// @verifies SRS-012
void test_TC015_bubbles_below_10_uL_not_accumulated(void)
{
    for (uint32_t i = 0u; i < 200u; i++) {
        TEST_ASSERT_EQUAL_UINT32(0u, bubble(9000000u, 100000u));
    }
}

// @verifies SRS-032, RC-005
void test_TC016_signal_loss_after_200_ms(void)
{
    uint32_t events = 0u;
    for (uint32_t i = 0u; i < 75u; i++) { /* 150 ms */
        events |= air_on_missing_frame(&air, true);
    }
    TEST_ASSERT_EQUAL_UINT32(0u, events);
    for (uint32_t i = 0u; i < 27u; i++) { /* up to 204 ms */
        events |= air_on_missing_frame(&air, true);
    }
    TEST_ASSERT_EQUAL_UINT32(AIR_EVENT_SENSOR_LOST, events);
    rate_stop_Expect(RATE_STOP_AIR);
    alarm_raise_Expect(ALARM_AIR_SENSOR_DISCONNECTED);
    air_respond(events);
}

// @verifies SRS-032
void test_TC016_bad_checksum_counts_as_missing(void)
{
    const air_frame_t bad = {.valid = false, .air = false};
    uint32_t events = 0u;
    for (uint32_t i = 0u; i < 101u; i++) {
        events |= air_on_frame(&air, &bad, 0u);
    }
    TEST_ASSERT_EQUAL_UINT32(AIR_EVENT_SENSOR_LOST, events);
}

int main(void)
{
    UNITY_BEGIN();
    RUN_TEST(test_TC015_single_bubble_threshold);
    RUN_TEST(test_TC015_accumulation_limit_1_mL);
    RUN_TEST(test_TC015_low_rate_volume_not_truncated);
    RUN_TEST(test_TC015_bubbles_below_10_uL_not_accumulated);
    RUN_TEST(test_TC016_signal_loss_after_200_ms);
    RUN_TEST(test_TC016_bad_checksum_counts_as_missing);
    return UNITY_END();
}
