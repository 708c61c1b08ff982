from markupsafe import Markup

from odoo import api, fields, models
from odoo.addons.html_editor.models.diff_utils import generate_comparison


class AftersalesKbArticleVersion(models.Model):
    """The content of an article as it was published: one version when it is
    published and one for each later change of its published content. Versions
    are history: nobody edits them."""

    _name = "aftersales.kb.article.version"
    _description = "Knowledge Article Version"
    _order = "article_id, version desc"
    _rec_name = "version"

    article_id = fields.Many2one("aftersales.kb.article", required=True, index=True, ondelete="cascade", readonly=True)
    version = fields.Integer(required=True, readonly=True)
    user_id = fields.Many2one("res.users", string="Changed By", readonly=True)
    name = fields.Char(string="Title", readonly=True)
    symptom = fields.Html(readonly=True)
    cause = fields.Html(string="Cause (Diagnosis)", readonly=True)
    resolution = fields.Html(string="Resolution Steps", readonly=True)
    tools = fields.Html(string="Tools Required", readonly=True)
    precautions = fields.Html(readonly=True)
    success_cases = fields.Html(string="Success Cases", readonly=True)
    content = fields.Html(compute="_compute_content", sanitize=False)
    previous_id = fields.Many2one("aftersales.kb.article.version", compute="_compute_comparison")
    comparison = fields.Html(
        string="Changes From the Previous Version",
        compute="_compute_comparison",
        sanitize=False,
        help="Added text is underlined in green, removed text struck through in red.",
    )

    _article_version_uniq = models.Constraint("unique (article_id, version)", "This version already exists.")

    def _compute_display_name(self):
        for version in self:
            version.display_name = self.env._(
                "%(article)s, version %(version)s", article=version.article_id.name, version=version.version
            )

    @api.depends("name", "symptom", "cause", "resolution", "tools", "precautions", "success_cases")
    def _compute_content(self):
        labels = self._section_labels()
        for version in self:
            parts = [Markup("<h3>%s</h3>") % (version.name or "")]
            for field_name, label in labels:
                if version[field_name]:
                    parts.append(Markup("<h4>%s</h4>%s") % (label, version[field_name]))
            version.content = Markup("").join(parts)

    def _section_labels(self):
        return [
            (name, self._fields[name]._description_string(self.env))
            for name in ("symptom", "cause", "resolution", "tools", "precautions", "success_cases")
        ]

    @api.depends("article_id", "version", "content")
    def _compute_comparison(self):
        for version in self:
            previous = self.search(
                [("article_id", "=", version.article_id.id), ("version", "<", version.version)],
                order="version desc",
                limit=1,
            )
            version.previous_id = previous
            version.comparison = Markup(generate_comparison(version.content, previous.content or ""))
