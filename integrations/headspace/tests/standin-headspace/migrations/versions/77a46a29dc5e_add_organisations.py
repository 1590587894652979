"""Stand-in for the host's revision 77a46a29dc5e: organisations, one seeded row.

Revision ID: 77a46a29dc5e
Revises: 0462474af024
"""

from alembic import op

revision = "77a46a29dc5e"
down_revision = "0462474af024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE organisations (
            id SERIAL NOT NULL, name VARCHAR(128) NOT NULL, description TEXT, status VARCHAR(16) NOT NULL,
            created_at TIMESTAMP WITH TIME ZONE NOT NULL, PRIMARY KEY (id));
        INSERT INTO organisations (name, status, created_at) VALUES ('Development', 'active', NOW());
    """)


def downgrade() -> None:
    op.execute("DROP TABLE organisations")
