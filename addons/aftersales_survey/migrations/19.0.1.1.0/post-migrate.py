def migrate(cr, version):
    """The follow-up's survey answer is a stored fact now: the first answer
    the job created for it, on its own survey."""
    cr.execute(
        """
        UPDATE aftersales_followup f
           SET user_input_id = u.id
          FROM (SELECT DISTINCT ON (a.aftersales_followup_id) a.id, a.aftersales_followup_id, a.survey_id
                  FROM survey_user_input a
                 WHERE a.aftersales_followup_id IS NOT NULL
                 ORDER BY a.aftersales_followup_id, a.id) u
         WHERE u.aftersales_followup_id = f.id AND u.survey_id = f.survey_id AND f.user_input_id IS NULL
        """
    )
    cr.execute(
        """
        UPDATE ir_model_data SET noupdate = TRUE
         WHERE module = 'aftersales_survey' AND name = 'mail_template_followup_invitation'
        """
    )
