ALTER TABLE "governance" ADD COLUMN "guardian_term_end" bigint;--> statement-breakpoint
ALTER TABLE "governance" ADD COLUMN "approval_window" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "governance" ADD COLUMN "max_suspension" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "families" ADD COLUMN "policy_id" text;--> statement-breakpoint
ALTER TABLE "families" ADD COLUMN "maintainer" text;--> statement-breakpoint
ALTER TABLE "model_events" ADD COLUMN "suspended_until" bigint;--> statement-breakpoint
ALTER TABLE "model_events" ADD COLUMN "suspension_ended" text;--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "suspended_at" bigint;--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "suspended_until" bigint;--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "suspension_reason" text;