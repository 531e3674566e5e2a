/*
 * Unit tests of the occlusion detector SI-014 (Unity 2.6 + CMock, host build gcc -m32).
 * Each TEST is registered in CTest under the id of its test record, e.g.
 *   add_test(NAME "[TC-011] occlusion debounce 500 ms" COMMAND test_occlusion -n test_TC011)
 * so that the JUnit report of `ctest --output-junit` names the test records.
 */
#include "unity.h"

#include "mock_alarm_manager.h"
#include "mock_rate_controller.h"
#include "occlusion/occlusion.h"

/* Force traces of the lab database OCC-2025, generated into C arrays by tools/traces2c.py. */
extern const int32_t occ2025_pr001_trace_mN[];   /* 0.1 mL/h, 50 mL BD Plastipak, occlusion at 30 min */
extern const uint32_t occ2025_pr001_trace_len;    /* 10 ms samples */
extern const int32_t *const occ2025_normal_traces[12];
extern const uint32_t occ2025_normal_trace_len[12];

#define AREA_50ML_X100 55530u  /* BD Plastipak 50 mL: 26.59 mm inner diameter */
#define AREA_5ML_X100 13070u   /* BD Plastipak 5 mL: 12.90 mm */
#define MN_PER_MMHG_50ML 74    /* force per mmHg on the 50 mL cross-section, mN (rounded) */

static occl_t occl;
static occl_input_t in;
static uint32_t raw;

void setUp(void)
{
    occl_init(&occl, AREA_50ML_X100, OCCL_LEVEL_LOW);
    in = (occl_input_t){.force_mN = 2000, .raw_adc = 1000u, .vref_mV = 2500u, .rate_uL_h = 100u, .motor_moving = true};
    raw = 1000u;
}

void tearDown(void) {}

static uint32_t run_ticks(uint32_t ticks, int32_t force_mN)
{
    uint32_t events = 0u;
    in.force_mN = force_mN;
    for (uint32_t i = 0u; i < ticks; i++) {
        in.raw_adc = ++raw; /* a live sensor: the raw value changes */
        events |= occl_update_10ms(&occl, &in);
    }
    return events;
}

// @verifies SRS-067, SI-014
void test_TC011_threshold_after_500ms_not_before(void)
{
    (void)run_ticks(6000u, 2000);  /* learn 2 N friction during the first 60 s */
    const int32_t above = 2000 + (300 + 20) * MN_PER_MMHG_50ML;
    TEST_ASSERT_EQUAL_UINT32(0u, run_ticks(49u, above) & OCCL_EVENT_THRESHOLD);
    TEST_ASSERT_EQUAL_UINT32(OCCL_EVENT_THRESHOLD, run_ticks(1u, above) & OCCL_EVENT_THRESHOLD);
}

// @verifies SRS-067
void test_TC011_start_up_friction_peak_no_alarm(void)
{
    for (uint32_t t = 0u; t < 12u; t++) {
        setUp();
        const int32_t *trace = occ2025_normal_traces[t];
        uint32_t events = 0u;
        for (uint32_t i = 0u; i < occ2025_normal_trace_len[t]; i++) {
            in.force_mN = trace[i];
            in.raw_adc = ++raw;
            events |= occl_update_10ms(&occl, &in);
        }
        TEST_ASSERT_EQUAL_UINT32_MESSAGE(0u, events, "false occlusion alarm on a normal trace");
    }
}

// @verifies SRS-067, RC-003
void test_TC012_pr001_trace_alarm_within_60_min(void)
{
    uint32_t alarm_tick = 0u;
    for (uint32_t i = 0u; (i < occ2025_pr001_trace_len) && (alarm_tick == 0u); i++) {
        in.force_mN = occ2025_pr001_trace_mN[i];
        in.raw_adc = ++raw;
        if ((occl_update_10ms(&occl, &in) & (OCCL_EVENT_TREND | OCCL_EVENT_THRESHOLD)) != 0u) {
            alarm_tick = i;
        }
    }
    const uint32_t occlusion_tick = 30u * 60u * 100u;
    TEST_ASSERT_NOT_EQUAL_UINT32(0u, alarm_tick);
    TEST_ASSERT_LESS_OR_EQUAL_UINT32(60u * 60u * 100u, alarm_tick - occlusion_tick);
}

// @verifies SRS-067
void test_TC012_friction_not_relearned_while_rising(void)
{
    (void)run_ticks(6000u, 2000);
    const int32_t learned = occl.friction_offset_mN;
    (void)run_ticks(15u * 6000u, 2000);
    /* 4 mmHg/min from minute 16 to minute 40: spans the re-learn window at minute 30. */
    for (uint32_t minute = 0u; minute < 24u; minute++) {
        for (uint32_t s10 = 0u; s10 < 6u; s10++) {
            (void)run_ticks(1000u, 2000 + (int32_t)(((minute * 6u) + s10) * 4u * MN_PER_MMHG_50ML / 6u));
        }
    }
    TEST_ASSERT_EQUAL_INT32(learned, occl.friction_offset_mN);
}

// @verifies SRS-018, RC-003
void test_TC013_sensor_plausibility_faults(void)
{
    TEST_ASSERT_EQUAL_UINT32(OCCL_EVENT_SENSOR_FAULT, run_ticks(1u, -6000));
    setUp();
    TEST_ASSERT_EQUAL_UINT32(OCCL_EVENT_SENSOR_FAULT, run_ticks(1u, 151000));
    setUp();
    in.vref_mV = 2440u;
    TEST_ASSERT_EQUAL_UINT32(OCCL_EVENT_SENSOR_FAULT, run_ticks(1u, 2000));
    setUp();
    in.vref_mV = 2560u;
    TEST_ASSERT_EQUAL_UINT32(OCCL_EVENT_SENSOR_FAULT, run_ticks(1u, 2000));
}

// @verifies SRS-018
void test_TC013_frozen_value_only_while_moving(void)
{
    uint32_t events = 0u;
    for (uint32_t i = 0u; i < 60u; i++) {
        events |= occl_update_10ms(&occl, &in); /* raw value unchanged */
    }
    TEST_ASSERT_EQUAL_UINT32(OCCL_EVENT_SENSOR_FAULT, events);
    setUp();
    in.motor_moving = false;
    events = 0u;
    for (uint32_t i = 0u; i < 60u; i++) {
        events |= occl_update_10ms(&occl, &in);
    }
    TEST_ASSERT_EQUAL_UINT32(0u, events);
}

// @verifies SRS-031, SRS-008, RC-004
void test_TC014_response_stops_motor_raises_alarm_starts_relief(void)
{
    occl.level = OCCL_LEVEL_HIGH;
    occl.pressure_mmHg = 950;
    rate_stop_Expect(RATE_STOP_OCCLUSION);
    alarm_raise_Expect(ALARM_OCCLUSION);
    rate_relief_start_Expect();
    occl_respond(&occl, OCCL_EVENT_THRESHOLD);
}

// @verifies SRS-008
void test_TC014_relief_ends_at_half_of_active_threshold(void)
{
    occl.level = OCCL_LEVEL_HIGH;
    occl.pressure_mmHg = 451;
    TEST_ASSERT_FALSE(occl_relief_done(&occl)); /* 50 % of 900, not of the medium 525 */
    occl.pressure_mmHg = 449;
    TEST_ASSERT_TRUE(occl_relief_done(&occl));
}

int main(void)
{
    UNITY_BEGIN();
    RUN_TEST(test_TC011_threshold_after_500ms_not_before);
    RUN_TEST(test_TC011_start_up_friction_peak_no_alarm);
    RUN_TEST(test_TC012_pr001_trace_alarm_within_60_min);
    RUN_TEST(test_TC012_friction_not_relearned_while_rising);
    RUN_TEST(test_TC013_sensor_plausibility_faults);
    RUN_TEST(test_TC013_frozen_value_only_while_moving);
    RUN_TEST(test_TC014_response_stops_motor_raises_alarm_starts_relief);
    RUN_TEST(test_TC014_relief_ends_at_half_of_active_threshold);
    return UNITY_END();
}
