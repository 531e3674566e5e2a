/*
 * SP-200 alarm arbitration and annunciation (SI-017, class C): priority table, arbitration,
 * IEC 60601-1-8 signal parameters, audio pause, speaker supervision with backup buzzer, nurse call.
 */
#include "alarm_manager.h"

#include <stddef.h>
#include <string.h>

extern void hal_backup_buzzer_enable(bool on);
extern void hal_nurse_call_relay(bool closed);

#define AUDIO_PAUSE_S 120u
#define SPEAKER_MIN_MA 40u
#define SPEAKER_LOW_PULSES 2u

/* @implements SRS-025 */
static const alarm_priority_t k_priority[ALARM_COUNT] = {
    [ALARM_OCCLUSION] = PRIO_HIGH,
    [ALARM_AIR_IN_LINE] = PRIO_HIGH,
    [ALARM_AIR_SENSOR_DISCONNECTED] = PRIO_HIGH,
    [ALARM_SYRINGE_EMPTY] = PRIO_HIGH,
    [ALARM_PLUNGER_NOT_ENGAGED] = PRIO_HIGH,
    [ALARM_CHECK_SYRINGE] = PRIO_HIGH,
    [ALARM_BATTERY_DEPLETED] = PRIO_HIGH,
    [ALARM_VTBI_COMPLETE_NO_KVO] = PRIO_HIGH,
    [ALARM_E14_PRESSURE_SENSOR] = PRIO_HIGH,
    [ALARM_E21_RATE_CROSS_CHECK] = PRIO_HIGH,
    [ALARM_E22_MOTOR_DRIVE] = PRIO_HIGH,
    [ALARM_E30_SUPERVISOR_LINK] = PRIO_HIGH,
    [ALARM_E41_SPEAKER] = PRIO_HIGH,
    [ALARM_VTBI_COMPLETE_KVO] = PRIO_MEDIUM,
    [ALARM_LOW_BATTERY] = PRIO_MEDIUM,
    [ALARM_PAUSED_REMINDER] = PRIO_MEDIUM,
    [ALARM_SOFT_LIMIT_PENDING] = PRIO_MEDIUM,
    [ALARM_NEAR_END] = PRIO_LOW,
    [ALARM_ON_BATTERY] = PRIO_LOW,
    [ALARM_BATTERY_COMMUNICATION] = PRIO_LOW,
    [ALARM_NETWORK_UNAVAILABLE] = PRIO_LOW,
};

/* @implements SRS-026 */
static const alarm_signal_t k_signal[] = {
    [PRIO_NONE] = {0u, 0u, 0u},
    [PRIO_LOW] = {2u, 30u, 0u},       /* steady yellow, 2-pulse burst every 30 s */
    [PRIO_MEDIUM] = {3u, 15u, 1667u}, /* yellow at 0.6 Hz, 3-pulse burst every 15 s */
    [PRIO_HIGH] = {10u, 5u, 500u},    /* red at 2.0 Hz, 10-pulse burst every 5 s */
};

static struct {
    bool active[ALARM_COUNT];
    uint32_t raised_seq[ALARM_COUNT];
    uint32_t seq;
    uint16_t pause_left_s;
    alarm_priority_t paused_prio;
    uint8_t low_current_pulses;
    bool backup_buzzer;
    alarm_site_config_t config;
} s_alarm;

void alarm_init(const alarm_site_config_t *config)
{
    (void)memset(&s_alarm, 0, sizeof s_alarm);
    s_alarm.config = *config;
}

alarm_priority_t alarm_priority(alarm_id_t id)
{
    return (id < ALARM_COUNT) ? k_priority[id] : PRIO_HIGH; /* unknown ids fail safe: high */
}

static void update_nurse_call(void);

/* @implements SRS-025, SRS-027 */
void alarm_raise(alarm_id_t requested)
{
    /* A corrupted id is raised as a high-priority technical alarm rather than ignored. */
    const alarm_id_t id = (requested < ALARM_COUNT) ? requested : ALARM_E30_SUPERVISOR_LINK;
    const alarm_priority_t prio = alarm_priority(id);
    if (!s_alarm.active[id]) {
        s_alarm.active[id] = true;
        s_alarm.raised_seq[id] = ++s_alarm.seq;
        /* A new alarm of equal or higher priority than the paused one ends the audio pause. */
        if ((s_alarm.pause_left_s > 0u) && (prio >= s_alarm.paused_prio)) {
            s_alarm.pause_left_s = 0u;
        }
    }
    update_nurse_call();
}

void alarm_clear(alarm_id_t id)
{
    if (id < ALARM_COUNT) {
        s_alarm.active[id] = false;
    }
    update_nurse_call();
}

/* @implements SRS-025 */
alarm_id_t alarm_displayed(uint8_t *further_active)
{
    alarm_id_t best = ALARM_COUNT;
    uint8_t active = 0u;
    for (uint32_t i = 0u; i < (uint32_t)ALARM_COUNT; i++) {
        if (!s_alarm.active[i]) {
            continue;
        }
        active++;
        if ((best == ALARM_COUNT) || (k_priority[i] > k_priority[best]) ||
            ((k_priority[i] == k_priority[best]) && (s_alarm.raised_seq[i] > s_alarm.raised_seq[best]))) {
            best = (alarm_id_t)i;
        }
    }
    if (further_active != NULL) {
        *further_active = (active > 0u) ? (uint8_t)(active - 1u) : 0u;
    }
    return best;
}

/* @implements SRS-026 */
const alarm_signal_t *alarm_signal(alarm_priority_t priority)
{
    return &k_signal[(priority <= PRIO_HIGH) ? priority : PRIO_HIGH];
}

/* @implements SRS-027 */
void alarm_pause_audio(void)
{
    uint8_t further = 0u;
    const alarm_id_t shown = alarm_displayed(&further);
    if (shown == ALARM_COUNT) {
        return;
    }
    s_alarm.paused_prio = k_priority[shown];
    s_alarm.pause_left_s = AUDIO_PAUSE_S; /* visual signals continue; never a permanent disable */
    update_nurse_call();
}

bool alarm_audio_paused(void)
{
    return s_alarm.pause_left_s > 0u;
}

/* @implements SRS-027 */
void alarm_tick_1s(void)
{
    if (s_alarm.pause_left_s > 0u) {
        s_alarm.pause_left_s--;
        if (s_alarm.pause_left_s == 0u) {
            update_nurse_call();
        }
    }
}

/* @implements SRS-028 */
bool alarm_on_pulse_current(uint16_t speaker_mA)
{
    if (speaker_mA < SPEAKER_MIN_MA) {
        if (s_alarm.low_current_pulses < UINT8_MAX) {
            s_alarm.low_current_pulses++;
        }
    } else {
        s_alarm.low_current_pulses = 0u;
    }
    if ((s_alarm.low_current_pulses >= SPEAKER_LOW_PULSES) && !s_alarm.backup_buzzer) {
        s_alarm.backup_buzzer = true; /* same burst pattern on the 3.2 kHz piezo */
        hal_backup_buzzer_enable(true);
        alarm_raise(ALARM_E41_SPEAKER);
    }
    return s_alarm.backup_buzzer;
}

/* @implements SRS-022 */
bool alarm_nurse_call_active(void)
{
    uint8_t further = 0u;
    const alarm_id_t shown = alarm_displayed(&further);
    if (shown == ALARM_COUNT) {
        return false;
    }
    if (s_alarm.config.nurse_call_released_on_pause && alarm_audio_paused()) {
        return false;
    }
    const alarm_priority_t prio = k_priority[shown];
    return (prio == PRIO_HIGH) || ((prio == PRIO_MEDIUM) && s_alarm.config.nurse_call_medium);
}

/* @implements SRS-022 */
static void update_nurse_call(void)
{
    const bool active = alarm_nurse_call_active();
    hal_nurse_call_relay(s_alarm.config.nurse_call_normally_closed ? !active : active);
}
