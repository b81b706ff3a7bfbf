CREATE TABLE "relayer_state" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"chain_id" integer NOT NULL,
	"governor" text NOT NULL,
	"token" text NOT NULL,
	"deployment_block_hash" text NOT NULL,
	"relayer" text NOT NULL,
	"created_at" bigint NOT NULL
);
