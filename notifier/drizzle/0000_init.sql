CREATE SCHEMA "notifier";
--> statement-breakpoint
CREATE TABLE "notifier"."nonces" (
	"nonce" text PRIMARY KEY NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "notifier"."sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"address" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notifier"."blocks" (
	"number" bigint PRIMARY KEY NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notifier"."checkpoint" (
	"id" integer PRIMARY KEY NOT NULL,
	"chain_id" integer NOT NULL,
	"governor" text NOT NULL,
	"block_number" bigint NOT NULL,
	"block_hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notifier"."models" (
	"model_id" text PRIMARY KEY NOT NULL,
	"family" text NOT NULL,
	"version" text NOT NULL,
	"block_number" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notifier"."proposal_states" (
	"id" serial PRIMARY KEY NOT NULL,
	"proposal_id" text NOT NULL,
	"state" text NOT NULL,
	"block_number" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notifier"."results" (
	"result_id" text PRIMARY KEY NOT NULL,
	"model_id" text NOT NULL,
	"block_number" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notifier"."events" (
	"id" text PRIMARY KEY NOT NULL,
	"seq" serial NOT NULL,
	"type" text NOT NULL,
	"block_number" bigint,
	"block_hash" text,
	"family" text,
	"actor" text,
	"log_index" integer,
	"data" jsonb NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"retracted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "notifier"."deliveries" (
	"id" text PRIMARY KEY NOT NULL,
	"subscription_id" text NOT NULL,
	"event_id" text NOT NULL,
	"type" text NOT NULL,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_status_code" integer,
	"last_error" text,
	"next_attempt_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notifier"."delivery_attempts" (
	"id" serial PRIMARY KEY NOT NULL,
	"delivery_id" text NOT NULL,
	"attempt" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"status_code" integer,
	"error" text,
	"duration_ms" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notifier"."subscriptions" (
	"id" text PRIMARY KEY NOT NULL,
	"owner" text NOT NULL,
	"url" text NOT NULL,
	"events" jsonb NOT NULL,
	"delegates" jsonb NOT NULL,
	"families" jsonb NOT NULL,
	"secret" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "notifier"."deliveries" ADD CONSTRAINT "deliveries_subscription_id_subscriptions_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "notifier"."subscriptions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifier"."deliveries" ADD CONSTRAINT "deliveries_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "notifier"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifier"."delivery_attempts" ADD CONSTRAINT "delivery_attempts_delivery_id_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "notifier"."deliveries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sessions_address_idx" ON "notifier"."sessions" USING btree ("address");--> statement-breakpoint
CREATE INDEX "proposal_states_proposal_idx" ON "notifier"."proposal_states" USING btree ("proposal_id","id");--> statement-breakpoint
CREATE INDEX "events_block_idx" ON "notifier"."events" USING btree ("block_number");--> statement-breakpoint
CREATE INDEX "events_seq_idx" ON "notifier"."events" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "events_family_idx" ON "notifier"."events" USING btree ("family","seq");--> statement-breakpoint
CREATE INDEX "deliveries_due_idx" ON "notifier"."deliveries" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "deliveries_subscription_idx" ON "notifier"."deliveries" USING btree ("subscription_id","created_at");--> statement-breakpoint
CREATE INDEX "deliveries_event_idx" ON "notifier"."deliveries" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "delivery_attempts_delivery_idx" ON "notifier"."delivery_attempts" USING btree ("delivery_id","attempt");--> statement-breakpoint
CREATE INDEX "subscriptions_owner_idx" ON "notifier"."subscriptions" USING btree ("owner");