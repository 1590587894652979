-- persona-registry: names that hide characters are refused.
-- A default-ignorable code point (zero-width space, non-joiner and joiner, word
-- joiner, BOM, soft hyphen, variation selectors, Hangul fillers, tags, ...)
-- renders as nothing: `Co<U+200B>n` shows as `Con` and is another persona. Such
-- characters are refused inside role and persona names (a name made only of
-- them is refused as blank already, by 0002). Existing rows are not rewritten:
-- the check is validated only when none holds one, else it holds for new and
-- updated rows, and every output escapes the characters (`Co\u200bn`).
-- dbmate format. Additive: one function and two constraints on the registry's
-- own tables.

-- migrate:up

-- Unicode's Default_Ignorable_Code_Point, written as explicit code points.
CREATE FUNCTION persona_registry_has_invisible(name text)
RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT name ~ '[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]'
$$;

-- Named to sort after *_name_visible: a name of invisible characters only is reported as blank.
ALTER TABLE role ADD CONSTRAINT role_name_without_invisible CHECK (NOT persona_registry_has_invisible(name)) NOT VALID;
ALTER TABLE persona ADD CONSTRAINT persona_name_without_invisible CHECK (NOT persona_registry_has_invisible(name)) NOT VALID;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM role WHERE persona_registry_has_invisible(name)) THEN
        ALTER TABLE role VALIDATE CONSTRAINT role_name_without_invisible;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM persona WHERE persona_registry_has_invisible(name)) THEN
        ALTER TABLE persona VALIDATE CONSTRAINT persona_name_without_invisible;
    END IF;
END
$$;

-- migrate:down

ALTER TABLE persona DROP CONSTRAINT persona_name_without_invisible;
ALTER TABLE role DROP CONSTRAINT role_name_without_invisible;
DROP FUNCTION persona_registry_has_invisible(text);
