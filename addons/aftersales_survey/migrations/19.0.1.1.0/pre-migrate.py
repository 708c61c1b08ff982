def migrate(cr, version):
    """The invitation template gains its unsubscribe link: let this update
    rewrite the template (noupdate again after, see post-migrate)."""
    cr.execute(
        """
        UPDATE ir_model_data SET noupdate = FALSE
         WHERE module = 'aftersales_survey' AND name = 'mail_template_followup_invitation'
        """
    )
