/*
 * SP-200 alarm arbitration and annunciation (SI-017, class C).
 */
#ifndef SP200_ALARM_MANAGER_H
#define SP200_ALARM_MANAGER_H

#include <stdbool.h>
#include <stdint.h>

typedef enum { PRIO_NONE = 0, PRIO_LOW, PRIO_MEDIUM, PRIO_HIGH } alarm_priority_t;

typedef enum {
    ALARM_OCCLUSION = 0,
    ALARM_AIR_IN_LINE,
    ALARM_AIR_SENSOR_DISCONNECTED,
    ALARM_SYRINGE_EMPTY,
    ALARM_PLUNGER_NOT_ENGAGED,
    ALARM_CHECK_SYRINGE,
    ALARM_BATTERY_DEPLETED,
    ALARM_VTBI_COMPLETE_NO_KVO,
    ALARM_E14_PRESSURE_SENSOR,
    ALARM_E21_RATE_CROSS_CHECK,
    ALARM_E22_MOTOR_DRIVE,
    ALARM_E30_SUPERVISOR_LINK,
    ALARM_E41_SPEAKER,
    ALARM_VTBI_COMPLETE_KVO,
    ALARM_LOW_BATTERY,
    ALARM_PAUSED_REMINDER,
    ALARM_SOFT_LIMIT_PENDING,
    ALARM_NEAR_END,
    ALARM_ON_BATTERY,
    ALARM_BATTERY_COMMUNICATION,
    ALARM_NETWORK_UNAVAILABLE,
    ALARM_COUNT
} alarm_id_t;

typedef struct {
    uint8_t pulses;          /* pulses per burst */
    uint16_t burst_repeat_s; /* 0: no repetition */
    uint16_t led_period_ms;  /* 0: steady */
} alarm_signal_t;

typedef struct {
    bool nurse_call_normally_closed;
    bool nurse_call_medium;   /* signal medium-priority alarms on the nurse call */
    bool nurse_call_released_on_pause;
} alarm_site_config_t;

void alarm_init(const alarm_site_config_t *config);
void alarm_raise(alarm_id_t id);
void alarm_clear(alarm_id_t id);
alarm_priority_t alarm_priority(alarm_id_t id);
alarm_id_t alarm_displayed(uint8_t *further_active);
const alarm_signal_t *alarm_signal(alarm_priority_t priority);
void alarm_pause_audio(void);
bool alarm_audio_paused(void);
void alarm_tick_1s(void);
bool alarm_on_pulse_current(uint16_t speaker_mA);
bool alarm_nurse_call_active(void);

#endif /* SP200_ALARM_MANAGER_H */
