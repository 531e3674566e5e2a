/*
 * Unit tests of alarm arbitration and annunciation SI-017 (Unity 2.6 + CMock, host build).
 * CTest names: "[TC-020] alarm priority and arbitration", "[TC-021] alarm signal timing",
 * "[TC-022] audio pause behaviour", "[TC-023] speaker supervision and backup buzzer".
 */
#include <stdlib.h>

#include "unity.h"

#include "alarm/alarm_manager.h"
#include "mock_hal_audio.h"

static const alarm_site_config_t k_config = {
    .nurse_call_normally_closed = false, .nurse_call_medium = true, .nurse_call_released_on_pause = false};

void setUp(void)
{
    hal_nurse_call_relay_Ignore();
    alarm_init(&k_config);
}

void tearDown(void) {}

/* Reference model of SRS-025: highest priority, then the most recently raised. */
static alarm_id_t reference_displayed(const bool active[], const uint32_t raised[])
{
    alarm_id_t best = ALARM_COUNT;
    for (uint32_t i = 0u; i < (uint32_t)ALARM_COUNT; i++) {
        if (active[i] && ((best == ALARM_COUNT) || (alarm_priority((alarm_id_t)i) > alarm_priority(best)) ||
                          ((alarm_priority((alarm_id_t)i) == alarm_priority(best)) && (raised[i] > raised[best])))) {
            best = (alarm_id_t)i;
        }
    }
    return best;
}

// @verifies SRS-025, SI-017
void test_TC020_highest_priority_then_most_recent(void)
{
    for (unsigned seed = 1u; seed <= 1000u; seed++) {
        setUp();
        srand(seed);
        bool active[ALARM_COUNT] = {false};
        uint32_t raised[ALARM_COUNT] = {0u};
        for (uint32_t n = 1u; n <= 3u * (uint32_t)ALARM_COUNT; n++) {
            const alarm_id_t id = (alarm_id_t)(rand() % (int)ALARM_COUNT);
            if ((rand() % 4) == 0) {
                alarm_clear(id);
                active[id] = false;
            } else {
                alarm_raise(id);
                if (!active[id]) {
                    active[id] = true;
                    raised[id] = n;
                }
            }
            uint8_t further = 0u;
            TEST_ASSERT_EQUAL_INT(reference_displayed(active, raised), alarm_displayed(&further));
        }
    }
}

// @verifies SRS-025
void test_TC020_unknown_id_is_raised_as_high_priority(void)
{
    uint8_t further = 0u;
    alarm_raise((alarm_id_t)200);
    TEST_ASSERT_EQUAL_INT(PRIO_HIGH, alarm_priority(alarm_displayed(&further)));
}

// @verifies SRS-026, RC-010
void test_TC021_signal_parameters_per_priority(void)
{
    TEST_ASSERT_EQUAL_UINT8(10u, alarm_signal(PRIO_HIGH)->pulses);
    TEST_ASSERT_EQUAL_UINT16(5u, alarm_signal(PRIO_HIGH)->burst_repeat_s);
    TEST_ASSERT_EQUAL_UINT16(500u, alarm_signal(PRIO_HIGH)->led_period_ms);
    TEST_ASSERT_EQUAL_UINT8(3u, alarm_signal(PRIO_MEDIUM)->pulses);
    TEST_ASSERT_EQUAL_UINT16(15u, alarm_signal(PRIO_MEDIUM)->burst_repeat_s);
    TEST_ASSERT_UINT16_WITHIN(84u, 1667u, alarm_signal(PRIO_MEDIUM)->led_period_ms);
    TEST_ASSERT_EQUAL_UINT8(2u, alarm_signal(PRIO_LOW)->pulses);
    TEST_ASSERT_EQUAL_UINT16(30u, alarm_signal(PRIO_LOW)->burst_repeat_s);
    TEST_ASSERT_EQUAL_UINT16(0u, alarm_signal(PRIO_LOW)->led_period_ms);
}

// @verifies SRS-027
void test_TC022_pause_120_s_ended_by_equal_or_higher_priority(void)
{
    alarm_raise(ALARM_LOW_BATTERY);           /* medium */
    alarm_pause_audio();
    for (uint32_t s = 0u; s < 30u; s++) {
        alarm_tick_1s();
    }
    alarm_raise(ALARM_NEAR_END);               /* low: pause continues */
    TEST_ASSERT_TRUE(alarm_audio_paused());
    alarm_raise(ALARM_PAUSED_REMINDER);        /* medium: pause ends */
    TEST_ASSERT_FALSE(alarm_audio_paused());

    alarm_pause_audio();
    for (uint32_t s = 0u; s < 119u; s++) {
        alarm_tick_1s();
    }
    TEST_ASSERT_TRUE(alarm_audio_paused());
    alarm_tick_1s();
    TEST_ASSERT_FALSE(alarm_audio_paused());   /* 120 s */
}

// @verifies SRS-028, RC-010
void test_TC023_backup_buzzer_after_two_low_current_pulses(void)
{
    TEST_ASSERT_FALSE(alarm_on_pulse_current(60u));
    TEST_ASSERT_FALSE(alarm_on_pulse_current(39u));  /* one low pulse: no switch-over */
    TEST_ASSERT_FALSE(alarm_on_pulse_current(60u));
    TEST_ASSERT_FALSE(alarm_on_pulse_current(39u));
    hal_backup_buzzer_enable_Expect(true);
    TEST_ASSERT_TRUE(alarm_on_pulse_current(39u));   /* second consecutive low pulse */
    uint8_t further = 0u;
    TEST_ASSERT_EQUAL_INT(ALARM_E41_SPEAKER, alarm_displayed(&further));
}

int main(void)
{
    UNITY_BEGIN();
    RUN_TEST(test_TC020_highest_priority_then_most_recent);
    RUN_TEST(test_TC020_unknown_id_is_raised_as_high_priority);
    RUN_TEST(test_TC021_signal_parameters_per_priority);
    RUN_TEST(test_TC022_pause_120_s_ended_by_equal_or_higher_priority);
    RUN_TEST(test_TC023_backup_buzzer_after_two_low_current_pulses);
    return UNITY_END();
}
