"""Stand-in for the host's revision 0462474af024: the tables roles and personas.

Written for these tests from what the host's revision makes (SQLAlchemy's DDL
for its models: SERIAL ids, PostgreSQL's default constraint names, no server
defaults), in this project's words; as Tests/IntegrationTests/Host/HostSchema.swift.

Revision ID: 0462474af024
Revises:
"""

from alembic import op

revision = "0462474af024"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE roles (
            id SERIAL NOT NULL, name VARCHAR(64) NOT NULL, description TEXT,
            created_at TIMESTAMP WITH TIME ZONE NOT NULL, PRIMARY KEY (id), UNIQUE (name));
        CREATE TABLE personas (
            id SERIAL NOT NULL, slug VARCHAR(128) NOT NULL, name VARCHAR(64) NOT NULL, description TEXT,
            status VARCHAR(16) NOT NULL, role_id INTEGER NOT NULL, created_at TIMESTAMP WITH TIME ZONE NOT NULL,
            PRIMARY KEY (id), FOREIGN KEY (role_id) REFERENCES roles (id), UNIQUE (slug));
    """)


def downgrade() -> None:
    op.execute("DROP TABLE personas; DROP TABLE roles")
