/*
 * Unit tests of the rate controller SI-011 (Unity 2.6 + CMock, host build gcc -m32).
 * CTest names: "[TC-001] rate_to_step_period syringe table", "[TC-002] step distribution
 * 0.1 mL/h", "[TC-014] pressure relief reverse travel".
 */
#include "unity.h"

#include "mock_alarm_manager.h"
#include "mock_hal_motor.h"
#include "rate/rate_controller.h"

/* Syringe database of SRS-045 (40 models) and the Python double-precision reference. */
extern const uint32_t syringe_area_mm2_x100[40];
extern const uint32_t reference_period_ns[40][9];
static const uint32_t k_rates_uL_h[9] = {100u, 150u, 1000u, 9990u, 99990u, 100000u, 600000u, 1200000u, 0u};

void setUp(void) {}
void tearDown(void) {}

// @verifies SRS-001, SI-011
void test_TC001_period_matches_reference_all_syringes_and_rates(void)
{
    for (uint32_t s = 0u; s < 40u; s++) {
        for (uint32_t r = 0u; (r < 9u) && (k_rates_uL_h[r] != 0u); r++) {
            step_schedule_t sched;
            TEST_ASSERT_EQUAL(RATE_OK, rate_to_step_period(k_rates_uL_h[r], syringe_area_mm2_x100[s], &sched));
            /* mean period over 10 000 steps against the reference: relative error <= 0.05 % */
            uint64_t total_us = 0u;
            for (uint32_t i = 0u; i < 10000u; i++) {
                total_us += rate_next_interval_us(&sched);
            }
            const double mean_ns = (double)total_us * 1000.0 / 10000.0;
            TEST_ASSERT_DOUBLE_WITHIN(reference_period_ns[s][r] * 0.0005, reference_period_ns[s][r], mean_ns);
        }
    }
}

// @verifies SRS-001
void test_TC001_out_of_range_rates_rejected(void)
{
    step_schedule_t sched;
    TEST_ASSERT_EQUAL(RATE_ERR_RANGE, rate_to_step_period(99u, 55530u, &sched));
    TEST_ASSERT_EQUAL(RATE_ERR_RANGE, rate_to_step_period(1200001u, 55530u, &sched));
    TEST_ASSERT_EQUAL(RATE_ERR_SYRINGE, rate_to_step_period(1000u, 0u, &sched));
}

// @verifies SRS-001
void test_TC002_even_step_distribution_at_0_1_mL_h(void)
{
    step_schedule_t sched;
    TEST_ASSERT_EQUAL(RATE_OK, rate_to_step_period(100u, 55530u, &sched));
    uint32_t min_us = UINT32_MAX;
    uint32_t max_us = 0u;
    uint64_t hour_us = 0u;
    uint32_t steps = 0u;
    while (hour_us < 3600000000ULL) {
        const uint32_t dt = rate_next_interval_us(&sched);
        min_us = (dt < min_us) ? dt : min_us;
        max_us = (dt > max_us) ? dt : max_us;
        hour_us += dt;
        steps++;
    }
    TEST_ASSERT_LESS_OR_EQUAL_UINT32(1u, max_us - min_us); /* evenly spaced: jitter of 1 us at most */
    /* 0.1000 mL +/- 0.0005 mL in one hour: steps x (A / 6400) uL */
    const double delivered_uL = (double)steps * (55530.0 / 100.0) / 6400.0;
    TEST_ASSERT_DOUBLE_WITHIN(0.5, 100.0, delivered_uL);
}

// @verifies SRS-008, RC-004, SI-011
void test_TC014_relief_stops_at_0_5_mL_travel(void)
{
    hal_step_timer_stop_Expect();
    /* 50 mL syringe: 0.5 mL = 500 uL / 555.30 mm^2 x 6400 steps/mm = 5762 steps */
    TEST_ASSERT_FALSE(rate_relief_step(5761u, 55530u, false));
    TEST_ASSERT_TRUE(rate_relief_step(5762u, 55530u, false));
}

// @verifies SRS-008
void test_TC014_relief_stops_when_pressure_below_half(void)
{
    hal_step_timer_stop_Expect();
    TEST_ASSERT_TRUE(rate_relief_step(10u, 13070u, true));
}

int main(void)
{
    UNITY_BEGIN();
    RUN_TEST(test_TC001_period_matches_reference_all_syringes_and_rates);
    RUN_TEST(test_TC001_out_of_range_rates_rejected);
    RUN_TEST(test_TC002_even_step_distribution_at_0_1_mL_h);
    RUN_TEST(test_TC014_relief_stops_at_0_5_mL_travel);
    RUN_TEST(test_TC014_relief_stops_when_pressure_below_half);
    return UNITY_END();
}
