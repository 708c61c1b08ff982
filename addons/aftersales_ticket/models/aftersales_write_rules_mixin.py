from odoo import api, models
from odoo.exceptions import AccessError

from ..write_rules import FACTS_CONTEXT_KEY, OPEN, OPEN_FIELD, SYSTEM


class AftersalesWriteRulesMixin(models.AbstractModel):
    """Who may write which stored field, checked in ``create()`` and
    ``write()``, the paths every caller (form, RPC, portal route) goes
    through. See ``aftersales_ticket/write_rules.py`` for the vocabulary.

    Models declare their table in ``_field_write_rules()``; extending addons
    add their fields with ``{**super()._field_write_rules(), ...}``. Facts are
    written with ``records._write_facts(vals)``: a plain ``write()`` under
    ``sudo()`` that every ``write()`` override sees."""

    _name = "aftersales.write.rules.mixin"
    _description = "After-sales Field Write Rules"

    @api.model
    def _field_write_rules(self):
        """{field name: (who may set it on create, who may change it on write)}."""
        return {}

    @api.model
    def _writing_facts(self):
        return self.env.su and self.env.context.get(FACTS_CONTEXT_KEY)

    @api.model
    def _check_field_write_rules(self, fnames, creating=False):
        """Refuse the fields the current user may not set, naming them."""
        if self._writing_facts():
            return
        rules = self._field_write_rules()
        side = 0 if creating else 1
        facts, refused, rights = [], [], set()
        for fname in fnames:
            who = rules.get(fname, OPEN_FIELD)[side]
            if who == OPEN:
                continue
            if who == SYSTEM:
                facts.append(fname)
                continue
            groups = (who,) if isinstance(who, str) else who
            if not self.env.su and not any(self.env.user.has_group(group) for group in groups):
                refused.append(fname)
                rights.update(groups)
        if facts:
            raise AccessError(
                self.env._(
                    "These fields of %(model)s are set by the system and cannot be changed: %(fields)s.",
                    model=self._write_rules_model_name(),
                    fields=self._write_rules_labels(facts),
                )
            )
        if refused:
            raise AccessError(
                self.env._(
                    "You are not allowed to set these fields of %(model)s: %(fields)s. "
                    "It takes one of these rights: %(rights)s.",
                    model=self._write_rules_model_name(),
                    fields=self._write_rules_labels(refused),
                    rights=", ".join(sorted(self._write_rules_right_name(xmlid) for xmlid in rights)),
                )
            )

    @api.model
    def _write_rules_model_name(self):
        """The model's name in the user's language."""
        return self.env["ir.model"]._get(self._name).name or self._description

    @api.model
    def _write_rules_right_name(self, xmlid):
        """'Privilege / Group' in the user's language (the group's full name is
        not computed per language)."""
        group = self.env.ref(xmlid).sudo()
        return " / ".join(filter(None, [group.privilege_id.name, group.name]))

    @api.model
    def _write_rules_labels(self, fnames):
        return ", ".join(
            sorted(self._fields[f]._description_string(self.env) if f in self._fields else f for f in fnames)
        )

    @api.model_create_multi
    def create(self, vals_list):
        if not self._writing_facts():
            # Values given directly or as defaults in the context; empty ones set nothing.
            given = {fname for vals in vals_list for fname, value in vals.items() if value}
            given |= {
                key.removeprefix("default_")
                for key, value in self.env.context.items()
                if key.startswith("default_") and value and key.removeprefix("default_") in self._fields
            }
            self._check_field_write_rules(given, creating=True)
        return super().create(vals_list)

    def write(self, vals):
        self._check_field_write_rules(vals)
        return super().write(vals)

    def _write_facts(self, vals):
        """Write facts the suite computed, after its own checks: a plain
        ``write()`` as superuser, seen by every override."""
        return self.sudo().with_context(**{FACTS_CONTEXT_KEY: True}).write(vals)

    @api.model
    def _create_facts(self, vals_list):
        """Create records whose values include facts; returned in the caller's environment."""
        return self.sudo().with_context(**{FACTS_CONTEXT_KEY: True}).create(vals_list).with_env(self.env)
