CREATE TABLE "delegate_statements" (
	"delegate" text NOT NULL,
	"version" integer NOT NULL,
	"statement" text NOT NULL,
	"interests" jsonb NOT NULL,
	"issued_at" bigint NOT NULL,
	"signature" text NOT NULL,
	"received_at" bigint NOT NULL,
	CONSTRAINT "delegate_statements_pk" PRIMARY KEY("delegate","version")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "delegate_statements_signature_idx" ON "delegate_statements" USING btree ("signature");