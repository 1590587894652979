-- persona-registry, layout `headspace`: the registry's rules on the host's
-- `roles` and `personas` (the same rules as 0001 and 0002 of the `prd` layout,
-- in the host's terms):
-- - the slug is the host's own rule, `slugify(role)-slugify(name)-id`, where
--   slugify lowercases, turns every run of characters outside [a-z0-9] into one
--   hyphen and trims hyphens (no accent folding: "Zoë" gives "zo"). It is set on
--   insert, replacing the temporary `_pending_...` slug the host's ORM sends, so
--   the ORM's own fix-up UPDATE in the same transaction writes the same value (no
--   change) and a `_pending_` slug is never stored; any other change is refused;
-- - what a plain INSERT omits and the host's columns have no default for is
--   filled: created_at now(), status 'active', and persona_type_id 1 (agent,
--   internal; the host's ORM default) once the host's revision ed3c7ae48539 has
--   added that column. A trigger, not a column default: the column may be added
--   after this migration, and the host's tables keep their definitions;
-- - status active|archived, names visible and free of control, bidirectional
--   and invisible (default-ignorable) characters, descriptions at most 8000 characters, role names unique under
--   slugify, an index on personas.role_id, change notifications for the daemon.
-- Existing rows were checked by 1001 (see there); the checks are validated
-- against them only when none breaks a rule. No row is changed by this migration.
-- dbmate format.

-- migrate:up

-- Nobody writes while the rules are added.
LOCK TABLE roles, personas IN ACCESS EXCLUSIVE MODE;

-- Added NOT VALID, then validated below when every existing row holds them.
ALTER TABLE roles
    ADD CONSTRAINT roles_name_visible CHECK (NOT persona_registry_renders_blank(name)) NOT VALID,
    ADD CONSTRAINT roles_name_no_control CHECK (name !~ '[\u0001-\u001f\u007f-\u009f]') NOT VALID,
    ADD CONSTRAINT roles_name_no_bidi_control CHECK (name !~ '[\u202a-\u202e\u2066-\u2069]') NOT VALID,
    ADD CONSTRAINT roles_name_without_invisible CHECK (NOT persona_registry_has_invisible(name)) NOT VALID,
    ADD CONSTRAINT roles_description_length CHECK (char_length(description) <= 8000) NOT VALID;

ALTER TABLE personas
    ADD CONSTRAINT personas_name_visible CHECK (NOT persona_registry_renders_blank(name)) NOT VALID,
    ADD CONSTRAINT personas_name_no_control CHECK (name !~ '[\u0001-\u001f\u007f-\u009f]') NOT VALID,
    ADD CONSTRAINT personas_name_no_bidi_control CHECK (name !~ '[\u202a-\u202e\u2066-\u2069]') NOT VALID,
    ADD CONSTRAINT personas_name_without_invisible CHECK (NOT persona_registry_has_invisible(name)) NOT VALID,
    ADD CONSTRAINT personas_description_length CHECK (char_length(description) <= 8000) NOT VALID,
    ADD CONSTRAINT personas_status_check CHECK (status IN ('active', 'archived')) NOT VALID;

DO $$
DECLARE
    kept integer[];
    constraint_name text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM persona_registry_rule_breaks()) THEN
        FOR constraint_name IN SELECT unnest(ARRAY['roles_name_visible', 'roles_name_no_control',
                'roles_name_no_bidi_control', 'roles_name_without_invisible', 'roles_description_length']) LOOP
            EXECUTE format('ALTER TABLE roles VALIDATE CONSTRAINT %I', constraint_name);
        END LOOP;
        FOR constraint_name IN SELECT unnest(ARRAY['personas_name_visible', 'personas_name_no_control',
                'personas_name_no_bidi_control', 'personas_name_without_invisible', 'personas_description_length',
                'personas_status_check']) LOOP
            EXECUTE format('ALTER TABLE personas VALIDATE CONSTRAINT %I', constraint_name);
        END LOOP;
    END IF;
    -- Role names unique under slugify; kept duplicates (all but the first of each
    -- group) stay outside the index, and every new or renamed role is checked
    -- against the first.
    SELECT coalesce(array_agg(r.id ORDER BY r.id), '{}') INTO kept FROM roles r
    WHERE EXISTS (SELECT 1 FROM roles o WHERE o.id < r.id
                  AND persona_registry_host_slugify(o.name) = persona_registry_host_slugify(r.name));
    IF cardinality(kept) = 0 THEN
        CREATE UNIQUE INDEX roles_name_folded_key ON roles (persona_registry_host_slugify(name));
    ELSE
        EXECUTE format('CREATE UNIQUE INDEX roles_name_folded_key ON roles (persona_registry_host_slugify(name)) '
                       'WHERE id <> ALL (%L::integer[])', kept);
    END IF;
END
$$;

CREATE INDEX persona_registry_personas_role_id ON personas (role_id);

-- The slug and the defaults on insert; the slug never changes afterwards.
CREATE FUNCTION persona_registry_host_persona()
RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    role_name text;
    slug text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT r.name INTO role_name FROM roles r WHERE r.id = NEW.role_id;
        IF FOUND THEN
            -- Computed as text first: the column's varchar(128) would refuse a longer one without saying why.
            slug := persona_registry_host_slugify(role_name) || '-' || persona_registry_host_slugify(NEW.name)
                || '-' || NEW.id::text;
            IF char_length(slug) > 128 THEN
                RAISE EXCEPTION 'the slug % would be % characters; personas.slug holds at most 128', slug, char_length(slug)
                    USING ERRCODE = 'check_violation', CONSTRAINT = 'personas_slug_length',
                          HINT = 'Shorten the persona''s name (or its role''s).';
            END IF;
            NEW.slug := slug;
        END IF;
        NEW.status := coalesce(NEW.status, 'active');
        NEW.created_at := coalesce(NEW.created_at, now());
        IF to_jsonb(NEW) ? 'persona_type_id' AND to_jsonb(NEW) -> 'persona_type_id' = 'null'::jsonb THEN
            NEW := jsonb_populate_record(NEW, '{"persona_type_id": 1}'::jsonb);
        END IF;
    ELSIF NEW.slug IS DISTINCT FROM OLD.slug OR NEW.id IS DISTINCT FROM OLD.id THEN
        RAISE EXCEPTION 'the slug of persona % is fixed once assigned (it names the persona''s directory)', OLD.slug
            USING ERRCODE = 'check_violation',
                  CONSTRAINT = 'personas_slug_immutable',
                  HINT = 'Rename the persona instead: the slug stays and its identity file follows the new name.';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER persona_registry_slug
    BEFORE INSERT OR UPDATE ON personas
    FOR EACH ROW EXECUTE FUNCTION persona_registry_host_persona();

CREATE FUNCTION persona_registry_host_role()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    NEW.created_at := coalesce(NEW.created_at, now());
    RETURN NEW;
END
$$;

CREATE TRIGGER persona_registry_defaults
    BEFORE INSERT ON roles
    FOR EACH ROW EXECUTE FUNCTION persona_registry_host_role();

-- Change notifications for the daemon: small JSON payloads with ids only, naming
-- the table by its logical name (the trigger's argument: persona, role).
CREATE FUNCTION persona_registry_notify()
RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    row_id integer;
BEGIN
    IF TG_OP = 'DELETE' THEN
        row_id := OLD.id;
    ELSE
        row_id := NEW.id;
    END IF;
    PERFORM pg_notify('persona_registry', json_build_object(
        'table', TG_ARGV[0], 'op', lower(TG_OP), 'id', row_id)::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER persona_registry_notify
    AFTER INSERT OR UPDATE OR DELETE ON personas
    FOR EACH ROW EXECUTE FUNCTION persona_registry_notify('persona');

CREATE TRIGGER persona_registry_notify_rename
    AFTER UPDATE OF name ON roles
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION persona_registry_notify('role');

CREATE TRIGGER persona_registry_notify_delete
    AFTER DELETE ON roles
    FOR EACH ROW EXECUTE FUNCTION persona_registry_notify('role');

-- migrate:down

-- Only what the up part added; the host's tables and rows stay as they are.
DROP TRIGGER persona_registry_notify_delete ON roles;
DROP TRIGGER persona_registry_notify_rename ON roles;
DROP TRIGGER persona_registry_notify ON personas;
DROP TRIGGER persona_registry_defaults ON roles;
DROP TRIGGER persona_registry_slug ON personas;
DROP FUNCTION persona_registry_notify();
DROP FUNCTION persona_registry_host_role();
DROP FUNCTION persona_registry_host_persona();
DROP INDEX persona_registry_personas_role_id;
DROP INDEX roles_name_folded_key;
ALTER TABLE personas
    DROP CONSTRAINT personas_name_visible,
    DROP CONSTRAINT personas_name_no_control,
    DROP CONSTRAINT personas_name_no_bidi_control,
    DROP CONSTRAINT personas_name_without_invisible,
    DROP CONSTRAINT personas_description_length,
    DROP CONSTRAINT personas_status_check;
ALTER TABLE roles
    DROP CONSTRAINT roles_name_visible,
    DROP CONSTRAINT roles_name_no_control,
    DROP CONSTRAINT roles_name_no_bidi_control,
    DROP CONSTRAINT roles_name_without_invisible,
    DROP CONSTRAINT roles_description_length;
