-- persona-registry, layout `headspace`: the Headspace host's own tables `roles`
-- and `personas`, as its Alembic revision 0462474af024 makes them (names, types,
-- lengths and PostgreSQL's default constraint names: roles_pkey, roles_name_key,
-- personas_pkey, personas_slug_key, personas_role_id_fkey), so that the host's
-- later revisions and its ORM work on them unchanged.
-- When both tables exist already (a host that ran its own revisions), they are
-- adopted as they are: nothing is created and no row is touched. Tables this
-- migration made carry a comment saying so; only those are ever dropped again.
-- It also defines the functions of the rules 1002 adds, and checks the existing
-- rows against those rules before anything else is done: rows that break one
-- refuse the migration, one line each, unless `persona-registry migrate up
-- --existing-rows keep` is used (it sets persona_registry.existing_rows); the
-- rules then hold for new and updated rows only, and
-- `persona_registry_rule_breaks()` lists the rows that break them (migrate
-- status and drift show them).
-- dbmate format.

-- migrate:up

DO $$
DECLARE
    missing text;
BEGIN
    IF to_regclass('roles') IS NULL AND to_regclass('personas') IS NULL THEN
        CREATE TABLE roles (
            id SERIAL NOT NULL,
            name VARCHAR(64) NOT NULL,
            description TEXT,
            created_at TIMESTAMP WITH TIME ZONE NOT NULL,
            PRIMARY KEY (id),
            UNIQUE (name)
        );
        CREATE TABLE personas (
            id SERIAL NOT NULL,
            slug VARCHAR(128) NOT NULL,
            name VARCHAR(64) NOT NULL,
            description TEXT,
            status VARCHAR(16) NOT NULL,
            role_id INTEGER NOT NULL,
            created_at TIMESTAMP WITH TIME ZONE NOT NULL,
            PRIMARY KEY (id),
            FOREIGN KEY (role_id) REFERENCES roles (id),
            UNIQUE (slug)
        );
        COMMENT ON TABLE roles IS 'made by persona-registry migration 1001 (layout headspace)';
        COMMENT ON TABLE personas IS 'made by persona-registry migration 1001 (layout headspace)';
        RETURN;
    END IF;
    IF to_regclass('roles') IS NULL OR to_regclass('personas') IS NULL THEN
        RAISE EXCEPTION 'persona-registry 1001 cannot adopt the host''s tables: % exists but % does not',
            CASE WHEN to_regclass('roles') IS NULL THEN 'personas' ELSE 'roles' END,
            CASE WHEN to_regclass('roles') IS NULL THEN 'roles' ELSE 'personas' END
            USING ERRCODE = 'undefined_table', HINT = 'Nothing was changed.';
    END IF;
    -- Adopted: the columns the registry reads must be there.
    SELECT string_agg(format('%s.%s', wanted.tbl, wanted.col), ', ' ORDER BY wanted.tbl, wanted.col) INTO missing
    FROM (VALUES ('roles', 'id'), ('roles', 'name'), ('roles', 'description'), ('roles', 'created_at'),
                 ('personas', 'id'), ('personas', 'slug'), ('personas', 'name'), ('personas', 'description'),
                 ('personas', 'status'), ('personas', 'role_id'), ('personas', 'created_at')) AS wanted (tbl, col)
    WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                      WHERE a.attrelid = to_regclass(wanted.tbl) AND a.attname = wanted.col AND NOT a.attisdropped);
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'persona-registry 1001 cannot adopt the host''s tables: they lack the columns %', missing
            USING ERRCODE = 'undefined_column', HINT = 'Nothing was changed.';
    END IF;
END
$$;

-- Nobody writes while the rows are checked.
LOCK TABLE roles, personas IN ACCESS EXCLUSIVE MODE;

-- The host's slugify, independent of the database's locale: ASCII case folded by
-- translate(); the two capitals Python's lower() maps into ASCII (KELVIN SIGN to
-- k, I WITH DOT ABOVE to i + combining dot) mapped as it does.
CREATE FUNCTION persona_registry_host_slugify(part text)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT btrim(regexp_replace(
        translate(replace(replace(part, U&'\212A', 'k'), U&'\0130', U&'i\0307'),
                  'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'),
        '[^a-z0-9]+', '-', 'g'), '-')
$$;

-- Whether a name shows nothing (as in 0002): white space, controls and characters
-- that render as nothing, written as explicit code points.
CREATE FUNCTION persona_registry_renders_blank(name text)
RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT name !~ '[^\u0001-\u0020\u007f-\u00a0\u00ad\u034f\u061c\u115f\u1160\u1680\u17b4\u17b5\u180b-\u180f\u2000-\u200f\u2028-\u202f\u205f-\u206f\u2800\u3000\u3164\ufe00-\ufe0f\ufeff\uffa0\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e007f\U000e0100-\U000e01ef]'
$$;

-- Whether a name holds a default-ignorable code point (as in the prd layout's 0003):
-- zero-width spaces and joiners, word joiner, BOM, soft hyphen, variation selectors ...
CREATE FUNCTION persona_registry_has_invisible(name text)
RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT name ~ '[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]'
$$;

-- Every existing row that breaks one of the rules below: its table, id and rule.
CREATE FUNCTION persona_registry_rule_breaks()
RETURNS TABLE (table_name text, id integer, rule text)
LANGUAGE sql STABLE
AS $$
    SELECT * FROM (
        SELECT 'roles'::text, r.id, format('its name slugifies to %s, as role %s''s does', to_json(r.part), r.first)
        FROM (SELECT roles.id, persona_registry_host_slugify(roles.name) AS part,
                     min(roles.id) OVER (PARTITION BY persona_registry_host_slugify(roles.name)) AS first
              FROM roles) AS r
        WHERE r.id <> r.first
        UNION ALL
        SELECT t.tbl, t.id, t.rule FROM (
            SELECT 'roles' AS tbl, roles.id, roles.name, roles.description FROM roles
            UNION ALL
            SELECT 'personas', personas.id, personas.name, personas.description FROM personas) AS t0
        CROSS JOIN LATERAL (VALUES
            (t0.tbl, t0.id, 'its name renders blank', persona_registry_renders_blank(t0.name)),
            (t0.tbl, t0.id, 'its name holds control characters', t0.name ~ '[\u0001-\u001f\u007f-\u009f]'),
            (t0.tbl, t0.id, 'its name holds bidirectional controls', t0.name ~ '[\u202a-\u202e\u2066-\u2069]'),
            (t0.tbl, t0.id, 'its name holds invisible characters', persona_registry_has_invisible(t0.name)
                AND NOT persona_registry_renders_blank(t0.name)),
            (t0.tbl, t0.id, 'its description is over 8000 characters', char_length(t0.description) > 8000)
        ) AS t (tbl, id, rule, broken)
        WHERE t.broken
        UNION ALL
        SELECT 'personas', personas.id, format('its status %s is neither active nor archived', to_json(personas.status))
        FROM personas WHERE personas.status NOT IN ('active', 'archived')
        UNION ALL
        -- Such a row gets no directory (a `_pending_` slug is one the host's fix-up never replaced).
        SELECT 'personas', personas.id, format('its slug %s cannot name a directory (not [a-z0-9-]*[a-z0-9])', to_json(personas.slug))
        FROM personas WHERE personas.slug !~ '^[a-z0-9-]*[a-z0-9]$'
    ) AS breaks (table_name, id, rule)
    ORDER BY 1, 2, 3
$$;

DO $$
DECLARE
    found text;
BEGIN
    SELECT string_agg(format('%s id %s: %s', b.table_name, b.id, b.rule), E'\n') INTO found
    FROM persona_registry_rule_breaks() AS b;
    IF found IS NOT NULL AND current_setting('persona_registry.existing_rows', true) IS DISTINCT FROM 'keep' THEN
        RAISE EXCEPTION E'persona-registry 1001 cannot be applied: existing rows break its rules:\n%', found
            USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'persona_registry_existing_rows',
                  HINT = 'Fix these rows and run it again, or keep them with migrate up --existing-rows keep; nothing was changed.';
    END IF;
END
$$;

-- migrate:down

DROP FUNCTION persona_registry_rule_breaks();
DROP FUNCTION persona_registry_has_invisible(text);
DROP FUNCTION persona_registry_renders_blank(text);
DROP FUNCTION persona_registry_host_slugify(text);

-- Adopted tables stay, rows and all. Tables this migration made are dropped only
-- when no other table references them and (without --drop-data) they hold no rows.
DO $$
DECLARE
    made boolean := obj_description(to_regclass('roles'), 'pg_class') LIKE 'made by persona-registry migration 1001%'
                AND obj_description(to_regclass('personas'), 'pg_class') LIKE 'made by persona-registry migration 1001%';
    referencing text;
    counts text;
BEGIN
    IF NOT coalesce(made, false) THEN
        RETURN;
    END IF;
    SELECT string_agg(DISTINCT c.conrelid::regclass::text, ', ') INTO referencing
    FROM pg_catalog.pg_constraint c
    WHERE c.contype = 'f' AND c.confrelid IN ('roles'::regclass, 'personas'::regclass)
      AND c.conrelid NOT IN ('roles'::regclass, 'personas'::regclass);
    IF referencing IS NOT NULL THEN
        RAISE EXCEPTION 'persona-registry 1001 will not drop roles and personas: the tables % reference them', referencing
            USING ERRCODE = 'dependent_objects_still_exist',
                  HINT = 'Revert the host''s revisions that made those tables first; nothing was changed.';
    END IF;
    SELECT format('rows in roles: %s, in personas: %s', (SELECT count(*) FROM roles), (SELECT count(*) FROM personas))
      INTO counts
     WHERE EXISTS (SELECT 1 FROM roles) OR EXISTS (SELECT 1 FROM personas);
    IF counts IS NOT NULL AND current_setting('persona_registry.drop_data', true) IS DISTINCT FROM 'yes' THEN
        RAISE EXCEPTION 'persona-registry 1001 will not drop tables that hold rows (%)', counts
            USING ERRCODE = 'dependent_objects_still_exist',
                  HINT = 'Pass --drop-data to drop them with their rows; nothing was changed.';
    END IF;
    DROP TABLE personas;
    DROP TABLE roles;
END
$$;
