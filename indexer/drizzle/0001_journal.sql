-- Undo log for reorgs. While the indexer processes a block that a reorg could still replace, it sets
-- `charter.block` for its transaction; every change to a derived table is then recorded with the old row
-- (or, for an insert, the new row's key), so that rolling back to a common ancestor replays it backwards.
-- Outside that window (backfill of final blocks) the setting is empty and the trigger records nothing.
CREATE FUNCTION charter_journal() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  block text := current_setting('charter.block', true);
BEGIN
  IF block IS NULL OR block = '' THEN
    RETURN NULL;
  END IF;
  INSERT INTO journal (block_number, table_name, op, "row")
  VALUES (block::bigint, TG_TABLE_NAME, TG_OP, CASE WHEN TG_OP = 'INSERT' THEN to_jsonb(NEW) ELSE to_jsonb(OLD) END);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
DO $$
DECLARE
  name text;
BEGIN
  FOREACH name IN ARRAY ARRAY['governance', 'proposals', 'proposal_actions', 'timelock_operations', 'votes',
    'accounts', 'models', 'model_events', 'families', 'policies', 'policy_versions', 'policy_rules', 'suites',
    'evaluators', 'results', 'result_slots', 'disputes']
  LOOP
    -- The WHEN clause keeps the backfill from calling the function at all.
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I FOR EACH ROW '
      'WHEN (coalesce(current_setting(''charter.block'', true), '''') <> '''') '
      'EXECUTE FUNCTION charter_journal()', name || '_journal', name);
  END LOOP;
END;
$$;
