"""Constants of after-sales tickets that other modules import (selections,
limits of user input); the models read them from here."""

# Most urgent first: the queue order (priority_rank) follows this list.
URGENCIES = [
    ("emergency", "Emergency"),
    ("general", "General"),
    ("non_fault", "Non-fault"),
]
URGENCY_CODES = tuple(code for code, _label in URGENCIES)
URGENCY_RANK = {code: rank for rank, code in enumerate(URGENCY_CODES)}

CATEGORIES = [
    ("regular_repair", "Regular repair"),
    ("special_repair", "Special repair"),
    ("out_of_warranty", "Out of warranty"),
    ("special_support", "Special technical support"),
    ("installation", "Installation"),
    ("maintenance", "Maintenance"),
    ("consultation", "Consultation"),
    ("complaint", "Complaint"),
]
# Categories that are repairs: only they count as repeat repairs (重复维修).
REPAIR_CATEGORIES = {"regular_repair", "special_repair", "out_of_warranty", "special_support"}
# Categories with no work for the customer to accept (验收): their tickets
# close without acceptance. Every other category needs it (requires_acceptance()).
NO_ACCEPTANCE_CATEGORIES = {"consultation", "complaint"}


def requires_acceptance(category):
    """Whether the work of a ticket of this category waits for the customer's
    acceptance (验收) before the ticket may close as repaired."""
    return category not in NO_ACCEPTANCE_CATEGORIES


CHANNELS = [
    ("phone", "Phone"),
    ("email", "Email"),
    ("portal", "Web portal"),
    ("app", "Mobile app"),
    ("wechat", "WeChat"),
    ("walk_in", "Walk-in"),
    ("chat", "Live chat"),
    ("api", "API"),
]

SERVICE_MODES = [
    ("remote", "Remote guidance"),
    ("on_site", "On-site"),
    ("carry_in", "Carry-in"),
    ("pickup", "Pickup & delivery"),
]

COMPLAINT_STEPS = [
    ("receive", "Receive"),
    ("soothe", "Soothe"),
    ("verify", "Verify"),
    ("resolve", "Resolve"),
    ("follow_up", "Follow up"),
]

# Limits of what a user may type or sign.
NAME_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 20000  # characters of text, markup left out
SIGNER_MAX_LENGTH = 128
SIGNATURE_MAX_BYTES = 512 * 1024
SIGNATURE_MIMETYPES = ("image/png", "image/jpeg")
