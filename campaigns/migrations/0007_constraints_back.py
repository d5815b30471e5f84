"""Foreign keys back on participations and shares, one participation per student per
campaign, at most one counting share per participation (issue 11).

Rows the missing constraints let through are repaired first (0006), losing nothing a user
sees: rows pointing at a deleted campaign or participation are deleted (nobody could
see them); a pointer to a deleted student or batch is emptied (the row goes back to
the unmatched queue); a student's second participation in a campaign is unlinked
(unmatched queue, where staff see it); of several counting shares, the latest keeps
the mark (the next ``recompute_counting`` applies the campaign's rule again).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("campaigns", "0006_repair_before_constraints"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="participation",
            name="campaign",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="participations",
                to="campaigns.campaign",
            ),
        ),
        migrations.AlterField(
            model_name="participation",
            name="first_import",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="campaigns.resultimport",
            ),
        ),
        migrations.AlterField(
            model_name="participation",
            name="student",
            field=models.ForeignKey(
                db_index=False,
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="participations",
                to="accounts.student",
                verbose_name="étudiant·e",
            ),
        ),
        migrations.AlterField(
            model_name="share",
            name="import_batch",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="shares",
                to="campaigns.resultimport",
            ),
        ),
        migrations.AlterField(
            model_name="share",
            name="participation",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="shares",
                to="campaigns.participation",
            ),
        ),
        migrations.AddConstraint(
            model_name="participation",
            constraint=models.UniqueConstraint(
                condition=models.Q(("student__isnull", False)),
                fields=("student", "campaign"),
                name="one_participation_per_student",
            ),
        ),
        migrations.AddConstraint(
            model_name="share",
            constraint=models.UniqueConstraint(
                condition=models.Q(("counts", True)),
                fields=("participation",),
                name="one_counting_share",
            ),
        ),
    ]
