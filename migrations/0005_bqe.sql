CREATE TABLE `bqe_connections` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`environment` text NOT NULL,
	`identity_url` text NOT NULL,
	`client_id` text NOT NULL,
	`client_secret_sealed` text NOT NULL,
	`consented_scopes` text,
	`access_token_sealed` text,
	`refresh_token_sealed` text,
	`token_expires_at` integer,
	`api_base_url` text,
	`utc_offset_minutes` integer,
	`status` text NOT NULL,
	`status_reason` text,
	`sync_enabled` integer NOT NULL,
	`parent_only` integer NOT NULL,
	`max_project_level` integer,
	`client_sync` text NOT NULL,
	`deletion_policy` text NOT NULL,
	`connected_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `bqe_connections_name_idx` ON `bqe_connections` (`name`);--> statement-breakpoint
CREATE TABLE `bqe_oauth_states` (
	`state_hash` text PRIMARY KEY NOT NULL,
	`connection_id` integer NOT NULL,
	`code_verifier_sealed` text NOT NULL,
	`redirect_uri` text NOT NULL,
	`scopes` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`connection_id`) REFERENCES `bqe_connections`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `bqe_oauth_states_expiry_idx` ON `bqe_oauth_states` (`expires_at`);--> statement-breakpoint
CREATE TABLE `bqe_sync_cursors` (
	`connection_id` integer NOT NULL,
	`object` text NOT NULL,
	`cursor` text,
	`full_requested` integer NOT NULL,
	`active_run_id` integer,
	`next_page` integer,
	`last_full_sync_at` integer,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`connection_id`, `object`),
	FOREIGN KEY (`connection_id`) REFERENCES `bqe_connections`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `bqe_sync_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`connection_id` integer NOT NULL,
	`object` text NOT NULL,
	`mode` text NOT NULL,
	`trigger` text NOT NULL,
	`status` text NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`pages` integer NOT NULL,
	`requests` integer NOT NULL,
	`fetched` integer NOT NULL,
	`inserted` integer NOT NULL,
	`updated` integer NOT NULL,
	`unchanged` integer NOT NULL,
	`duplicates` integer NOT NULL,
	`skipped` integer NOT NULL,
	`promoted` integer NOT NULL,
	`deleted` integer NOT NULL,
	`missing` integer NOT NULL,
	`rate_waits` integer NOT NULL,
	`rate_wait_ms` integer NOT NULL,
	`cursor_from` text,
	`cursor_to` text,
	`error` text,
	`correlation_id` text,
	FOREIGN KEY (`connection_id`) REFERENCES `bqe_connections`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `bqe_sync_runs_connection_idx` ON `bqe_sync_runs` (`connection_id`,`object`,`started_at`);--> statement-breakpoint
CREATE TABLE `integration_clients` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`provider` text NOT NULL,
	`connection_id` integer NOT NULL,
	`external_id` text NOT NULL,
	`name` text NOT NULL,
	`company` text,
	`email` text,
	`status` integer,
	`last_updated` text,
	`payload` text NOT NULL,
	`first_seen_at` integer NOT NULL,
	`synced_at` integer NOT NULL,
	`deleted_at` integer,
	`seen_run_id` integer,
	FOREIGN KEY (`connection_id`) REFERENCES `bqe_connections`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `integration_clients_key_idx` ON `integration_clients` (`provider`,`connection_id`,`external_id`);--> statement-breakpoint
CREATE INDEX `integration_clients_name_idx` ON `integration_clients` (`connection_id`,`name`);--> statement-breakpoint
CREATE TABLE `integration_external_links` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`provider` text NOT NULL,
	`connection_id` integer NOT NULL,
	`object_type` text NOT NULL,
	`external_id` text NOT NULL,
	`name` text NOT NULL,
	`code` text,
	`status` integer,
	`parent_external_id` text,
	`root_external_id` text,
	`level` integer,
	`client_external_id` text,
	`last_updated` text,
	`payload` text NOT NULL,
	`first_seen_at` integer NOT NULL,
	`synced_at` integer NOT NULL,
	`deleted_at` integer,
	`seen_run_id` integer,
	FOREIGN KEY (`connection_id`) REFERENCES `bqe_connections`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `integration_external_links_key_idx` ON `integration_external_links` (`provider`,`connection_id`,`object_type`,`external_id`);--> statement-breakpoint
CREATE INDEX `integration_external_links_parent_idx` ON `integration_external_links` (`connection_id`,`parent_external_id`);--> statement-breakpoint
CREATE INDEX `integration_external_links_name_idx` ON `integration_external_links` (`connection_id`,`name`);