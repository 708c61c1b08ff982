"""Who may write which field of a service team, as every role would try it
(``with_user(...).write()`` is what RPC call_kw runs)."""

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import AftersalesCommon
from .test_security import MAGIC_FIELDS, WriteTableMixin

# Whether a portal user, a technician, an agent and a manager may write each
# stored field of a team defined by this addon: (portal, technician, agent,
# manager). Teams are written by the after-sales managers (access rights);
# the facts by nobody.
CONFIG = (False, False, False, True)
NOBODY = (False, False, False, False)
TEAM_FIELDS = {
    "name": CONFIG,
    "active": CONFIG,
    "color": CONFIG,
    "company_id": CONFIG,
    "network_level": CONFIG,
    "parent_id": CONFIG,
    "child_ids": CONFIG,
    "manager_id": CONFIG,
    "member_ids": CONFIG,
    "technician_ids": CONFIG,
    "resource_calendar_id": CONFIG,
    "auto_dispatch": CONFIG,
    "alias_create_partner": CONFIG,
    "alias_id": NOBODY,
    "ticket_ids": NOBODY,
    "complete_name": NOBODY,
    "parent_path": NOBODY,
    "message_ids": NOBODY,
    "message_follower_ids": NOBODY,
    "website_message_ids": NOBODY,
}


class TeamWriteTableMixin(WriteTableMixin):
    """The write table of a team: the team's write() checks the access
    rights first (its alias fields are written apart by mail's mixin)."""

    write_access_first = True

    def _write_roles(self):
        return (self.portal, self.tech_user_a, self.agent, self.manager)

    def _team_fields(self, module):
        return self._stored_fields(module, "aftersales.team")


@tagged("post_install", "-at_install")
class TestTeamWriteTable(TeamWriteTableMixin, AftersalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = cls.new_portal_user("team_write_portal", cls.customer_contact)

    def test_every_stored_field_takes_a_side(self):
        """Any addon adding a stored field to teams must say who may write it
        (run with every addon installed: theirs are checked too)."""
        Team = self.env["aftersales.team"]
        stored = {name for name, field in Team._fields.items() if field.store and name not in MAGIC_FIELDS}
        self.assertFalse(stored - set(Team._field_write_rules()), "stored team fields nobody classified")

    def test_write_table(self):
        self.assertEqual(set(TEAM_FIELDS), self._team_fields("aftersales_ticket"), "the table lists every field")
        self.assertEqual(self._write_table(self.team_sh, TEAM_FIELDS), TEAM_FIELDS)

    def test_facts_refused_even_as_superuser(self):
        """A route or job writing a form's values with sudo() cannot rename
        the team's path nor take its alias or its tickets."""
        for vals in (
            {"complete_name": "HQ / Fake"},
            {"alias_id": self.team_hz.alias_id.id},
            {"ticket_ids": [(4, self.create_ticket(team_id=self.team_hz.id).id)]},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError) as caught:
                self.team_sh.sudo().write(vals)
            self.assertIn("are set by the system and cannot be changed", str(caught.exception))
        self.assertEqual(self.team_sh.complete_name, "HQ / East / Shanghai")
        self.assertNotEqual(self.team_sh.alias_id, self.team_hz.alias_id)
        # the configuration stays the manager's
        self.team_sh.with_user(self.manager).write({"name": "Shanghai Pudong", "auto_dispatch": False})
        self.assertEqual(self.team_sh.complete_name, "HQ / East / Shanghai Pudong")
