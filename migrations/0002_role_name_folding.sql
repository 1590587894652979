-- persona-registry: names that cannot be told apart are refused.
-- Role names are unique under the slug's folding (`developer`, `Developer` and
-- `DEVELOPER` would give the same slug prefix); a name that renders blank
-- (only spaces, NBSP, zero-width or other invisible characters) is blank; C1
-- controls and bidirectional override and isolate controls (U+202A-U+202E,
-- U+2066-U+2069: the "Trojan Source" confusion) are refused in names.
-- dbmate format. Additive: constraints, one index and one function on the
-- registry's own tables; touches no other table.

-- migrate:up

-- Nobody writes while the rows are checked and the rules added.
LOCK TABLE role, persona IN ACCESS EXCLUSIVE MODE;

-- Whether a name shows nothing: it holds only white space (Unicode White_Space),
-- controls, and characters that render as nothing (soft hyphen, zero-width
-- spaces and joiners, direction marks, word joiner and invisible operators,
-- Hangul fillers, Braille blank, variation selectors, BOM, tags). Written with
-- explicit code points, so the answer is the same under every locale.
CREATE FUNCTION persona_registry_renders_blank(name text)
RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT name !~ '[^\u0001-\u0020\u007f-\u00a0\u00ad\u034f\u061c\u115f\u1160\u1680\u17b4\u17b5\u180b-\u180f\u2000-\u200f\u2028-\u202f\u205f-\u206f\u2800\u3000\u3164\ufe00-\ufe0f\ufeff\uffa0\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e007f\U000e0100-\U000e01ef]'
$$;

-- A database whose rows break the new rules gets one error naming them all,
-- and nothing of this migration is applied.
DO $$
DECLARE
    problems text[] := '{}';
    found text;
BEGIN
    SELECT string_agg(format('%s fold to %s', names, folded), '; ' ORDER BY folded) INTO found
    FROM (SELECT persona_registry_slug_part(name, 'role', 64) AS folded,
                 string_agg(format('%s (id %s)', to_json(name), id), ', ' ORDER BY id) AS names
          FROM role GROUP BY 1 HAVING count(*) > 1) AS duplicates;
    IF found IS NOT NULL THEN
        problems := problems || ('role names that give the same slug prefix: ' || found);
    END IF;

    SELECT string_agg(format('%s %s', kind, ids), '; ') INTO found
    FROM (SELECT kind, 'id ' || string_agg(id::text, ', ' ORDER BY id) AS ids
          FROM (SELECT 'role names that render blank,' AS kind, id FROM role WHERE persona_registry_renders_blank(name)
                UNION ALL
                SELECT 'role names with bidirectional or C1 controls,', id FROM role WHERE name ~ '[\u0080-\u009f\u202a-\u202e\u2066-\u2069]'
                UNION ALL
                SELECT 'persona names that render blank,', id FROM persona WHERE persona_registry_renders_blank(name)
                UNION ALL
                SELECT 'persona names with bidirectional or C1 controls,', id FROM persona WHERE name ~ '[\u0080-\u009f\u202a-\u202e\u2066-\u2069]'
               ) AS bad
          GROUP BY kind ORDER BY kind) AS grouped;
    IF found IS NOT NULL THEN
        problems := problems || found;
    END IF;

    IF cardinality(problems) > 0 THEN
        RAISE EXCEPTION 'persona-registry 0002 cannot be applied: %', array_to_string(problems, '; ')
            USING ERRCODE = 'integrity_constraint_violation',
                  HINT = 'Rename (or merge) these rows, then run the migration again; nothing was changed.';
    END IF;
END
$$;

CREATE UNIQUE INDEX role_name_folded_key ON role (persona_registry_slug_part(name, 'role', 64));

ALTER TABLE role
    ADD CONSTRAINT role_name_visible CHECK (NOT persona_registry_renders_blank(name)),
    ADD CONSTRAINT role_name_no_c1_control CHECK (name !~ '[\u0080-\u009f]'),
    ADD CONSTRAINT role_name_no_bidi_control CHECK (name !~ '[\u202a-\u202e\u2066-\u2069]');

ALTER TABLE persona
    ADD CONSTRAINT persona_name_visible CHECK (NOT persona_registry_renders_blank(name)),
    ADD CONSTRAINT persona_name_no_c1_control CHECK (name !~ '[\u0080-\u009f]'),
    ADD CONSTRAINT persona_name_no_bidi_control CHECK (name !~ '[\u202a-\u202e\u2066-\u2069]');

-- migrate:down

ALTER TABLE persona
    DROP CONSTRAINT persona_name_visible,
    DROP CONSTRAINT persona_name_no_c1_control,
    DROP CONSTRAINT persona_name_no_bidi_control;

ALTER TABLE role
    DROP CONSTRAINT role_name_visible,
    DROP CONSTRAINT role_name_no_c1_control,
    DROP CONSTRAINT role_name_no_bidi_control;

DROP INDEX role_name_folded_key;
DROP FUNCTION persona_registry_renders_blank(text);
