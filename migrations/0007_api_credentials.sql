CREATE TABLE `api_credentials` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`client_id` text NOT NULL,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`scopes` text NOT NULL,
	`allowed_ips` text NOT NULL,
	`status` text NOT NULL,
	`secret_sealed` text,
	`secret_hash` text,
	`secondary_secret_sealed` text,
	`secondary_secret_hash` text,
	`secondary_expires_at` integer,
	`rate_limit_per_minute` integer NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`rotated_at` integer,
	`last_used_at` integer,
	`last_used_ip` text,
	`revoked_at` integer,
	`revoked_by` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_credentials_client_idx` ON `api_credentials` (`client_id`);--> statement-breakpoint
CREATE INDEX `api_credentials_hash_idx` ON `api_credentials` (`secret_hash`);--> statement-breakpoint
CREATE INDEX `api_credentials_secondary_hash_idx` ON `api_credentials` (`secondary_secret_hash`);--> statement-breakpoint
CREATE TABLE `api_nonces` (
	`client_id` text NOT NULL,
	`nonce` text NOT NULL,
	`expires_at` integer NOT NULL,
	PRIMARY KEY(`client_id`, `nonce`)
);
--> statement-breakpoint
CREATE INDEX `api_nonces_expiry_idx` ON `api_nonces` (`expires_at`);