CREATE TABLE "accounts" (
	"address" text PRIMARY KEY NOT NULL,
	"balance" numeric(78, 0) DEFAULT 0 NOT NULL,
	"delegate" text,
	"voting_power" numeric(78, 0) DEFAULT 0 NOT NULL,
	"delegator_count" integer DEFAULT 0 NOT NULL,
	"votes_cast" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "disputes" (
	"result_id" text NOT NULL,
	"seq" integer NOT NULL,
	"disputer" text NOT NULL,
	"reason" text NOT NULL,
	"at" bigint NOT NULL,
	"tx" text NOT NULL,
	"resolution" text,
	"resolved_at" bigint,
	CONSTRAINT "disputes_pk" PRIMARY KEY("result_id","seq")
);
--> statement-breakpoint
CREATE TABLE "evaluators" (
	"address" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"admitted" boolean NOT NULL,
	"admitted_at" bigint NOT NULL,
	"removed_at" bigint,
	"set_index" integer,
	"result_count" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "result_slots" (
	"result_id" text PRIMARY KEY NOT NULL,
	"live_id" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "results" (
	"id" text PRIMARY KEY NOT NULL,
	"result_id" text NOT NULL,
	"model_id" text NOT NULL,
	"suite_id" text NOT NULL,
	"evaluator" text NOT NULL,
	"values" jsonb NOT NULL,
	"report_digest" text NOT NULL,
	"samples_root" text NOT NULL,
	"uri" text NOT NULL,
	"submitted_at" bigint NOT NULL,
	"block" bigint NOT NULL,
	"log_index" integer NOT NULL,
	"tx" text NOT NULL,
	"status" text NOT NULL,
	"superseded" boolean NOT NULL,
	"dispute_count" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "suites" (
	"id" text PRIMARY KEY NOT NULL,
	"dataset_digest" text NOT NULL,
	"metric_ids" jsonb NOT NULL,
	"metrics" jsonb NOT NULL,
	"uri" text NOT NULL,
	"registered_at" bigint NOT NULL,
	"block" bigint NOT NULL,
	"tx" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "governance" (
	"id" integer PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"token_name" text NOT NULL,
	"token_symbol" text NOT NULL,
	"quorum_denominator" numeric(78, 0) NOT NULL,
	"voting_delay" bigint DEFAULT 0 NOT NULL,
	"voting_period" bigint DEFAULT 0 NOT NULL,
	"proposal_threshold" numeric(78, 0) DEFAULT 0 NOT NULL,
	"quorum_numerator" numeric(78, 0) DEFAULT 0 NOT NULL,
	"late_quorum_vote_extension" bigint DEFAULT 0 NOT NULL,
	"timelock_delay" bigint DEFAULT 0 NOT NULL,
	"proposal_guardian" text,
	"total_supply" numeric(78, 0) DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "families" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"current_model_id" text
);
--> statement-breakpoint
CREATE TABLE "model_events" (
	"model_id" text NOT NULL,
	"block" bigint NOT NULL,
	"log_index" integer NOT NULL,
	"status" text NOT NULL,
	"at" bigint NOT NULL,
	"tx" text NOT NULL,
	"policy_id" text,
	"policy_version" integer,
	"reason" text,
	CONSTRAINT "model_events_pk" PRIMARY KEY("model_id","block","log_index")
);
--> statement-breakpoint
CREATE TABLE "models" (
	"id" text PRIMARY KEY NOT NULL,
	"family_id" text NOT NULL,
	"family" text NOT NULL,
	"version" text NOT NULL,
	"uri" text NOT NULL,
	"parent_id" text,
	"registrant" text NOT NULL,
	"registered_at" bigint NOT NULL,
	"registered_block" bigint NOT NULL,
	"registered_log_index" integer NOT NULL,
	"registered_tx" text NOT NULL,
	"status" text NOT NULL,
	"approved_policy_id" text,
	"approved_policy_version" integer
);
--> statement-breakpoint
CREATE TABLE "policies" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"current_version" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "policy_rules" (
	"policy_id" text NOT NULL,
	"version" integer NOT NULL,
	"index" integer NOT NULL,
	"suite_id" text NOT NULL,
	"metric_id" text NOT NULL,
	"metric" text NOT NULL,
	"comparator" text NOT NULL,
	"threshold" numeric(78, 0) NOT NULL,
	CONSTRAINT "policy_rules_pk" PRIMARY KEY("policy_id","version","index")
);
--> statement-breakpoint
CREATE TABLE "policy_versions" (
	"policy_id" text NOT NULL,
	"version" integer NOT NULL,
	"min_evaluators" integer NOT NULL,
	"max_evidence_age" bigint NOT NULL,
	"uri" text NOT NULL,
	"set_at" bigint NOT NULL,
	"block" bigint NOT NULL,
	"tx" text NOT NULL,
	CONSTRAINT "policy_versions_pk" PRIMARY KEY("policy_id","version")
);
--> statement-breakpoint
CREATE TABLE "proposal_actions" (
	"proposal_id" numeric(78, 0) NOT NULL,
	"index" integer NOT NULL,
	"target" text NOT NULL,
	"value" numeric(78, 0) NOT NULL,
	"calldata" text NOT NULL,
	"kind" text NOT NULL,
	"signature" text,
	"args" jsonb,
	CONSTRAINT "proposal_actions_pk" PRIMARY KEY("proposal_id","index")
);
--> statement-breakpoint
CREATE TABLE "proposals" (
	"id" numeric(78, 0) PRIMARY KEY NOT NULL,
	"proposer" text NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"description_hash" text NOT NULL,
	"kinds" jsonb NOT NULL,
	"action_count" integer NOT NULL,
	"created_at" bigint NOT NULL,
	"created_block" bigint NOT NULL,
	"created_log_index" integer NOT NULL,
	"created_tx" text NOT NULL,
	"vote_start" bigint NOT NULL,
	"scheduled_end" bigint NOT NULL,
	"vote_end" bigint NOT NULL,
	"extended_at" bigint,
	"extended_block" bigint,
	"extended_tx" text,
	"quorum" numeric(78, 0) NOT NULL,
	"for_votes" numeric(78, 0) DEFAULT 0 NOT NULL,
	"against_votes" numeric(78, 0) DEFAULT 0 NOT NULL,
	"abstain_votes" numeric(78, 0) DEFAULT 0 NOT NULL,
	"vote_count" integer DEFAULT 0 NOT NULL,
	"eta" bigint,
	"queued_at" bigint,
	"queued_block" bigint,
	"queued_tx" text,
	"executed" boolean DEFAULT false NOT NULL,
	"executed_at" bigint,
	"executed_block" bigint,
	"executed_tx" text,
	"canceled" boolean DEFAULT false NOT NULL,
	"canceled_at" bigint,
	"canceled_block" bigint,
	"canceled_tx" text
);
--> statement-breakpoint
CREATE TABLE "timelock_operations" (
	"id" text PRIMARY KEY NOT NULL,
	"proposal_id" numeric(78, 0) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "blocks" (
	"number" bigint PRIMARY KEY NOT NULL,
	"hash" text NOT NULL,
	"parent_hash" text NOT NULL,
	"timestamp" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "journal" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"block_number" bigint NOT NULL,
	"table_name" text NOT NULL,
	"op" text NOT NULL,
	"row" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_state" (
	"id" integer PRIMARY KEY NOT NULL,
	"chain_id" integer NOT NULL,
	"deployment_hash" text NOT NULL,
	"indexed_block" bigint NOT NULL,
	"indexed_hash" text NOT NULL,
	"indexed_timestamp" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "votes" (
	"proposal_id" numeric(78, 0) NOT NULL,
	"voter" text NOT NULL,
	"support" smallint NOT NULL,
	"weight" numeric(78, 0) NOT NULL,
	"reason" text NOT NULL,
	"params" text NOT NULL,
	"block" bigint NOT NULL,
	"log_index" integer NOT NULL,
	"tx" text NOT NULL,
	"at" bigint NOT NULL,
	CONSTRAINT "votes_pk" PRIMARY KEY("proposal_id","voter")
);
--> statement-breakpoint
CREATE INDEX "accounts_voting_power_idx" ON "accounts" USING btree ("voting_power","address");--> statement-breakpoint
CREATE INDEX "accounts_delegator_count_idx" ON "accounts" USING btree ("delegator_count","address");--> statement-breakpoint
CREATE INDEX "accounts_delegate_idx" ON "accounts" USING btree ("delegate");--> statement-breakpoint
CREATE INDEX "results_model_idx" ON "results" USING btree ("model_id","suite_id");--> statement-breakpoint
CREATE INDEX "results_suite_idx" ON "results" USING btree ("suite_id");--> statement-breakpoint
CREATE INDEX "results_evaluator_idx" ON "results" USING btree ("evaluator");--> statement-breakpoint
CREATE INDEX "results_position_idx" ON "results" USING btree ("block","log_index");--> statement-breakpoint
CREATE INDEX "models_family_idx" ON "models" USING btree ("family");--> statement-breakpoint
CREATE INDEX "models_status_idx" ON "models" USING btree ("status");--> statement-breakpoint
CREATE INDEX "models_registered_idx" ON "models" USING btree ("registered_block","registered_log_index");--> statement-breakpoint
CREATE INDEX "proposals_created_idx" ON "proposals" USING btree ("created_block","created_log_index");--> statement-breakpoint
CREATE INDEX "proposals_proposer_idx" ON "proposals" USING btree ("proposer");--> statement-breakpoint
CREATE INDEX "proposals_vote_start_idx" ON "proposals" USING btree ("vote_start");--> statement-breakpoint
CREATE INDEX "proposals_vote_end_idx" ON "proposals" USING btree ("vote_end");--> statement-breakpoint
CREATE INDEX "journal_block_idx" ON "journal" USING btree ("block_number");--> statement-breakpoint
CREATE INDEX "votes_proposal_position_idx" ON "votes" USING btree ("proposal_id","block","log_index");--> statement-breakpoint
CREATE INDEX "votes_proposal_weight_idx" ON "votes" USING btree ("proposal_id","weight","voter");--> statement-breakpoint
CREATE INDEX "votes_voter_idx" ON "votes" USING btree ("voter","block","log_index");