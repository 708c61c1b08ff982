"""The service KPIs, defined here once.

Each KPI is a ratio of two sums of the per-ticket measures of
``aftersales.quality.report`` (so it stays right whatever the grouping:
period, team, technician, product, tier), times a factor. CSAT and NPS are
the follow-up report's (``aftersales_survey``): same measure names, same
formula (``RATIOS["csat"]``, promoters minus detractors), not derived again.

A target is a threshold: "above" KPIs are met when the figure reaches the
target or more, "below" KPIs when it stays at the target or less. The
defaults are seed 002's (质量监控体系: 平均响应时间 2 小时, 首次解决率 75 %,
满意度 4.5 分, 平均处理时间 24 小时, 重复维修率 5 %, 投诉率 2 %, 95 % 响应率).
"""

from odoo.addons.aftersales_survey.report.aftersales_followup_report import RATIOS

ABOVE = "above"
BELOW = "below"

CSAT_NUMERATOR, CSAT_DENOMINATOR, CSAT_FACTOR = RATIOS["csat"]

# code -> (label, numerator, denominator, factor, direction, default target or None, formula)
# numerator "nps" is the NPS special case (promoters - detractors).
KPIS = {
    "first_response": (
        "First Response Time (h)",
        "response_hours_sum",
        "responded_count",
        1.0,
        BELOW,
        2.0,
        "Sum of the hours from report to first response / tickets answered.",
    ),
    "handling": (
        "Handling Time (h)",
        "resolution_hours_sum",
        "resolved_count",
        1.0,
        BELOW,
        24.0,
        "Sum of the hours from report to resolution / tickets resolved.",
    ),
    "fcr": (
        "First-Contact Resolution (%)",
        "fcr_count",
        "ticket_count",
        100.0,
        ABOVE,
        75.0,
        "100 x tickets resolved at first contact / tickets reported. Resolved at first contact: resolved, "
        "not itself a repeat or a rework, with at most one repair order (no second visit), no rework "
        "ticket and no repeat repair reported on the same unit within the company's repeat window. "
        "Whether a technician was dispatched does not matter.",
    ),
    "sla_compliance": (
        "Answered in Time (%)",
        "sla_met_count",
        "sla_due_count",
        100.0,
        ABOVE,
        95.0,
        "100 x tickets whose response SLA was met / tickets whose response SLA was met, met late or breached.",
    ),
    "csat": (
        "CSAT (1-5)",
        CSAT_NUMERATOR,
        CSAT_DENOMINATOR,
        CSAT_FACTOR,
        ABOVE,
        4.5,
        "Sum of the CSAT scores of the answered follow-ups / answered CSAT scores (the follow-up report's "
        "CSAT: the average of the dimensions each customer answered).",
    ),
    "nps": (
        "NPS",
        "nps",
        "nps_count",
        100.0,
        ABOVE,
        None,
        "100 x (promoters (9-10) - detractors (0-6)) / NPS answers, as in the follow-up report.",
    ),
    "repeat_rate": (
        "Repeat Repairs (%)",
        "repeat_count",
        "ticket_count",
        100.0,
        BELOW,
        5.0,
        "100 x repeat repairs (an earlier repair of the same unit ended within the repeat window) / tickets reported.",
    ),
    "complaint_rate": (
        "Complaints (%)",
        "complaint_count",
        "ticket_count",
        100.0,
        BELOW,
        2.0,
        "100 x complaint tickets / tickets reported.",
    ),
    "repair_success": (
        "Repair Success (%)",
        "repair_success_count",
        "repair_resolved_count",
        100.0,
        ABOVE,
        None,
        "100 x resolved repairs with no rework and no repeat within the repeat window / resolved repairs.",
    ),
    "parts_cost": (
        "Parts Cost per Ticket",
        "parts_cost_sum",
        "ticket_count",
        1.0,
        BELOW,
        None,
        "Cost of the parts used on the tickets' repairs (quantity x product cost) / tickets reported.",
    ),
    "warranty_cost": (
        "Warranty Cost per Ticket",
        "warranty_cost_sum",
        "ticket_count",
        1.0,
        BELOW,
        None,
        "Parts and labour cost of the repairs the company pays (warranty, extended warranty, contract) "
        "/ tickets reported.",
    ),
}

KPI_SELECTION = [(code, spec[0]) for code, spec in KPIS.items()]

# Additive per-ticket measures the ratios are built from.
MEASURES = (
    "ticket_count",
    "responded_count",
    "response_hours_sum",
    "resolved_count",
    "resolution_hours_sum",
    "fcr_count",
    "sla_met_count",
    "sla_due_count",
    CSAT_NUMERATOR,
    CSAT_DENOMINATOR,
    "nps_count",
    "promoter_count",
    "detractor_count",
    "repeat_count",
    "complaint_count",
    "repair_success_count",
    "repair_resolved_count",
    "parts_cost_sum",
    "warranty_cost_sum",
    "audit_score_sum",
    "audit_count",
)


def kpi_value(code, sums):
    """The KPI ``code`` from a dict of summed measures; None when its denominator is 0."""
    _label, numerator, denominator, factor, _direction, _target, _formula = KPIS[code]
    if not sums.get(denominator):
        return None
    if numerator == "nps":
        return factor * (sums["promoter_count"] - sums["detractor_count"]) / sums[denominator]
    return factor * sums[numerator] / sums[denominator]


def kpi_state(code, value, target):
    """'met', 'missed', 'no_data' or 'no_target' of a figure against its target
    (a threshold: reaching it is met)."""
    if target is None:
        return "no_target"
    if value is None:
        return "no_data"
    direction = KPIS[code][4]
    value = round(value, 6)
    return "met" if (value >= target if direction == ABOVE else value <= target) else "missed"
