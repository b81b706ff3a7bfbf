-- The evidence game (issue 13): stakes, bond history, bonded per-sample disputes, credits, and the game
-- parameters. The registry's events changed shape, so a database indexed with the earlier contracts is
-- emptied here and indexed again from the deployment block.
TRUNCATE "governance", "proposals", "proposal_actions", "timelock_operations", "votes", "accounts", "models",
  "model_events", "families", "policies", "policy_versions", "policy_rules", "suites", "evaluators", "results",
  "result_slots", "disputes", "sync_state", "blocks", "journal";--> statement-breakpoint
CREATE TABLE "bond_events" (
	"evaluator" text NOT NULL,
	"block" bigint NOT NULL,
	"log_index" integer NOT NULL,
	"change" text NOT NULL,
	"amount" numeric(78, 0) NOT NULL,
	"bonded" numeric(78, 0) NOT NULL,
	"unbonding" numeric(78, 0) NOT NULL,
	"unbonding_ready_at" bigint,
	"dispute_id" bigint,
	"at" bigint NOT NULL,
	"tx" text NOT NULL,
	CONSTRAINT "bond_events_pk" PRIMARY KEY("evaluator","block","log_index")
);
--> statement-breakpoint
DROP TABLE "disputes";--> statement-breakpoint
CREATE TABLE "disputes" (
	"id" bigint PRIMARY KEY NOT NULL,
	"result" text NOT NULL,
	"result_id" text NOT NULL,
	"report_digest" text NOT NULL,
	"model_id" text NOT NULL,
	"suite_id" text NOT NULL,
	"evaluator" text NOT NULL,
	"disputer" text NOT NULL,
	"bond" numeric(78, 0) NOT NULL,
	"sample_id" text NOT NULL,
	"sample_label" numeric(78, 0) NOT NULL,
	"sample_prediction" numeric(78, 0) NOT NULL,
	"sample_score" numeric(78, 0) NOT NULL,
	"claimed_prediction" numeric(78, 0) NOT NULL,
	"claimed_score" numeric(78, 0) NOT NULL,
	"claim_report_digest" text NOT NULL,
	"claim_uri" text NOT NULL,
	"opened_at" bigint NOT NULL,
	"lapses_at" bigint NOT NULL,
	"block" bigint NOT NULL,
	"log_index" integer NOT NULL,
	"tx" text NOT NULL,
	"status" text NOT NULL,
	"lapsed" boolean DEFAULT false NOT NULL,
	"resolved_at" bigint,
	"resolved_block" bigint,
	"resolved_tx" text,
	"slashed" numeric(78, 0),
	"to_disputer" numeric(78, 0),
	"to_evaluator" numeric(78, 0),
	"to_treasury" numeric(78, 0)
);
--> statement-breakpoint
CREATE TABLE "credits" (
	"account" text PRIMARY KEY NOT NULL,
	"credit" numeric(78, 0) NOT NULL,
	"credited" numeric(78, 0) NOT NULL,
	"withdrawn" numeric(78, 0) NOT NULL
);
--> statement-breakpoint
ALTER TABLE "evaluators" ADD COLUMN "bonded" numeric(78, 0) DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "evaluators" ADD COLUMN "unbonding" numeric(78, 0) DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "evaluators" ADD COLUMN "unbonding_ready_at" bigint;--> statement-breakpoint
ALTER TABLE "evaluators" ADD COLUMN "open_disputes" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "evaluators" ADD COLUMN "slashed" numeric(78, 0) DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "results" ADD COLUMN "open_disputes" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "governance" ADD COLUMN "challenge_period" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "governance" ADD COLUMN "min_bond" numeric(78, 0) DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "governance" ADD COLUMN "dispute_bond" numeric(78, 0) DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "governance" ADD COLUMN "unbonding_delay" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "governance" ADD COLUMN "resolution_timeout" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "governance" ADD COLUMN "disputer_share_bps" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "governance" ADD COLUMN "resolver" text;--> statement-breakpoint
CREATE INDEX "disputes_result_idx" ON "disputes" USING btree ("result");--> statement-breakpoint
CREATE INDEX "disputes_result_id_idx" ON "disputes" USING btree ("result_id");--> statement-breakpoint
CREATE INDEX "disputes_evaluator_idx" ON "disputes" USING btree ("evaluator","id");--> statement-breakpoint
CREATE INDEX "disputes_disputer_idx" ON "disputes" USING btree ("disputer","id");--> statement-breakpoint
CREATE INDEX "disputes_model_idx" ON "disputes" USING btree ("model_id","id");--> statement-breakpoint
CREATE INDEX "disputes_status_idx" ON "disputes" USING btree ("status","id");--> statement-breakpoint
-- The journal's trigger (0001_journal) on the new tables, so that reorgs undo their changes too.
DO $$
DECLARE
  name text;
BEGIN
  FOREACH name IN ARRAY ARRAY['disputes', 'bond_events', 'credits']
  LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I FOR EACH ROW '
      'WHEN (coalesce(current_setting(''charter.block'', true), '''') <> '''') '
      'EXECUTE FUNCTION charter_journal()', name || '_journal', name);
  END LOOP;
END;
$$;
