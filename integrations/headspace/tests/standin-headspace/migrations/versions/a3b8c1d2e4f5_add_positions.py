"""Stand-in for the host's revision a3b8c1d2e4f5: positions, referencing roles.

Revision ID: a3b8c1d2e4f5
Revises: 77a46a29dc5e
"""

from alembic import op

revision = "a3b8c1d2e4f5"
down_revision = "77a46a29dc5e"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE positions (
            id SERIAL NOT NULL, org_id INTEGER NOT NULL, role_id INTEGER NOT NULL, title VARCHAR(128) NOT NULL,
            reports_to_id INTEGER, escalates_to_id INTEGER, level INTEGER NOT NULL, is_cross_cutting BOOLEAN NOT NULL,
            created_at TIMESTAMP WITH TIME ZONE NOT NULL,
            FOREIGN KEY (org_id) REFERENCES organisations (id) ON DELETE CASCADE,
            FOREIGN KEY (role_id) REFERENCES roles (id) ON DELETE CASCADE,
            FOREIGN KEY (reports_to_id) REFERENCES positions (id) ON DELETE CASCADE,
            FOREIGN KEY (escalates_to_id) REFERENCES positions (id) ON DELETE CASCADE,
            PRIMARY KEY (id));
    """)


def downgrade() -> None:
    op.execute("DROP TABLE positions")
