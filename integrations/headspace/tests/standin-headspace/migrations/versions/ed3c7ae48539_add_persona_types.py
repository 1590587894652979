"""Stand-in for the host's revision ed3c7ae48539: persona types and the operator.

persona_types with its four rows; personas.persona_type_id added nullable,
filled with 1, then made NOT NULL (no server default); the operator Sam
(person/internal) inserted by SQL with a temporary slug that is then fixed up,
as the host's revision does.

Revision ID: ed3c7ae48539
Revises: a3b8c1d2e4f5
"""

from alembic import op

revision = "ed3c7ae48539"
down_revision = "a3b8c1d2e4f5"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE persona_types (
            id SERIAL NOT NULL, type_key VARCHAR(16) NOT NULL, subtype VARCHAR(16) NOT NULL, PRIMARY KEY (id),
            CONSTRAINT uq_persona_type_key_subtype UNIQUE (type_key, subtype));
        INSERT INTO persona_types (id, type_key, subtype) VALUES
            (1, 'agent', 'internal'), (2, 'agent', 'external'), (3, 'person', 'internal'), (4, 'person', 'external');
        SELECT setval('persona_types_id_seq', 4);
        ALTER TABLE personas ADD COLUMN persona_type_id INTEGER;
        ALTER TABLE personas ADD CONSTRAINT fk_personas_persona_type_id
            FOREIGN KEY (persona_type_id) REFERENCES persona_types (id) ON DELETE RESTRICT;
        UPDATE personas SET persona_type_id = 1 WHERE persona_type_id IS NULL;
        ALTER TABLE personas ALTER COLUMN persona_type_id SET NOT NULL;
        INSERT INTO roles (name, description, created_at)
            SELECT 'operator', 'System operator', NOW() WHERE NOT EXISTS (SELECT 1 FROM roles WHERE name = 'operator');
        INSERT INTO personas (name, slug, description, status, role_id, persona_type_id, created_at)
            SELECT 'Sam', '_pending_operator', 'System operator', 'active',
                   (SELECT id FROM roles WHERE name = 'operator'), 3, NOW()
            WHERE NOT EXISTS (SELECT 1 FROM personas p JOIN roles r ON p.role_id = r.id
                              WHERE p.name = 'Sam' AND r.name = 'operator');
        UPDATE personas SET slug = 'operator-sam-' || id WHERE slug = '_pending_operator';
    """)


def downgrade() -> None:
    op.execute("""
        DELETE FROM personas WHERE persona_type_id = 3 AND name = 'Sam';
        ALTER TABLE personas DROP CONSTRAINT fk_personas_persona_type_id;
        ALTER TABLE personas DROP COLUMN persona_type_id;
        DROP TABLE persona_types;
    """)
