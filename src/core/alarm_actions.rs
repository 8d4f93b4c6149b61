//! Operator actions on alarms, each done whole: lock the engine, act on the
//! alarm manager, publish the new snapshot. Front ends (SNMP's ack column,
//! NETCONF's ietf-alarms actions, `ctl ack`) call these and cannot reach
//! the alarm manager themselves, so none can leave readers on a stale
//! snapshot by forgetting the publish. Shelving needs no call here: a
//! commit applies the configured shelves and publishes
//! ([`super::engine::Engine::apply_shelves`]).

use super::alarms::{AlarmError, AlarmManager};
use super::runtime::{Agent, lock_engine};
use crate::model::alarm::{Alarm, OperatorAction};

impl Agent {
    /// Acknowledge (or un-acknowledge) alarm `id` as `by`.
    pub fn acknowledge_alarm(
        &self,
        id: u64,
        acknowledged: bool,
        by: &str,
        text: &str,
    ) -> Result<Alarm, AlarmError> {
        self.act_on_alarms(|alarms| alarms.acknowledge(id, acknowledged, by, text))
    }

    /// Record an operator state on alarm `id`; `by` is the operator its
    /// history names, `origin` who the operation log names.
    pub fn set_alarm_operator_state(
        &self,
        id: u64,
        state: OperatorAction,
        by: &str,
        text: &str,
        origin: &str,
    ) -> Result<Alarm, AlarmError> {
        self.act_on_alarms(|alarms| alarms.set_operator_state(id, state, by, text, origin))
    }

    /// Delete the cleared alarms among `ids`; returns those deleted.
    pub fn purge_alarms(&self, ids: &[u64], by: &str) -> Result<Vec<Alarm>, AlarmError> {
        self.act_on_alarms(|alarms| alarms.purge(ids, by))
    }

    /// Run `act` under the engine lock and publish when it succeeds.
    fn act_on_alarms<T>(
        &self,
        act: impl FnOnce(&mut AlarmManager) -> Result<T, AlarmError>,
    ) -> Result<T, AlarmError> {
        let config = self.datastore.running();
        let mut engine = lock_engine(&self.engine);
        let done = act(engine.alarms_mut())?;
        engine.publish(&config);
        Ok(done)
    }
}
