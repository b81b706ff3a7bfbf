CREATE TABLE "ballots" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"account" text NOT NULL,
	"proposal_id" numeric(78, 0),
	"support" smallint,
	"reason" text,
	"params" text,
	"delegatee" text,
	"nonce" numeric(78, 0) NOT NULL,
	"expiry" bigint,
	"signature" text NOT NULL,
	"status" text NOT NULL,
	"reserved" numeric(78, 0) NOT NULL,
	"tx_nonce" integer,
	"raw_tx" text,
	"tx_hash" text,
	"broadcast_at" bigint,
	"block" bigint,
	"cost" numeric(78, 0),
	"error_name" text,
	"error" text,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "ballots_account_created_idx" ON "ballots" USING btree ("account","created_at");--> statement-breakpoint
CREATE INDEX "ballots_status_created_idx" ON "ballots" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "ballots_tx_hash_idx" ON "ballots" USING btree ("tx_hash");