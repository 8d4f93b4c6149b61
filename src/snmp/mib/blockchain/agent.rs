//! bcmAgent: the agent's notification statistics, kept by the
//! notification originator and read through `AgentState::standard`.

use super::scalar;
use crate::snmp::mib::{ScalarDef, Syntax::Counter32};

pub static NOTIFICATIONS_SENT: ScalarDef = scalar(
    "bcmNotificationsSent",
    &[1, 3, 6, 1, 4, 1, 32473, 1, 10, 1],
    Counter32,
    |ctx| ctx.agent.standard(&[1, 3, 6, 1, 4, 1, 32473, 1, 10, 1, 0]),
);

pub static INFORMS_ACKNOWLEDGED: ScalarDef = scalar(
    "bcmInformsAcknowledged",
    &[1, 3, 6, 1, 4, 1, 32473, 1, 10, 2],
    Counter32,
    |ctx| ctx.agent.standard(&[1, 3, 6, 1, 4, 1, 32473, 1, 10, 2, 0]),
);

pub static INFORMS_FAILED: ScalarDef = scalar(
    "bcmInformsFailed",
    &[1, 3, 6, 1, 4, 1, 32473, 1, 10, 3],
    Counter32,
    |ctx| ctx.agent.standard(&[1, 3, 6, 1, 4, 1, 32473, 1, 10, 3, 0]),
);
