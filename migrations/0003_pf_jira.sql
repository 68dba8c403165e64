CREATE TABLE `cache_entries` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`fetched_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `pfj_entities` (
	`entity_key` text PRIMARY KEY NOT NULL,
	`updated_at` text NOT NULL,
	`hash` text NOT NULL,
	`terminated` integer NOT NULL,
	`last_seen_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `pfj_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source` text NOT NULL,
	`type` text NOT NULL,
	`entity_type` text NOT NULL,
	`entity_id` text NOT NULL,
	`occurred_at` integer NOT NULL,
	`received_at` integer NOT NULL,
	`payload` text NOT NULL,
	`dedupe_key` text,
	`status` text NOT NULL,
	`decision` text,
	`rule_id` integer,
	`rule_version` integer,
	`scope` text,
	`issue_key` text,
	`error` text,
	`correlation_id` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pfj_events_dedupe_idx` ON `pfj_events` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `pfj_events_entity_idx` ON `pfj_events` (`entity_type`,`entity_id`,`status`);--> statement-breakpoint
CREATE INDEX `pfj_events_status_idx` ON `pfj_events` (`status`);--> statement-breakpoint
CREATE INDEX `pfj_events_scope_idx` ON `pfj_events` (`entity_type`,`entity_id`,`scope`,`status`);--> statement-breakpoint
CREATE INDEX `pfj_events_received_idx` ON `pfj_events` (`received_at`);--> statement-breakpoint
CREATE INDEX `pfj_events_type_idx` ON `pfj_events` (`type`,`received_at`);--> statement-breakpoint
CREATE TABLE `pfj_links` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`entity_key` text NOT NULL,
	`scope` text NOT NULL,
	`project_key` text NOT NULL,
	`state` text NOT NULL,
	`client_token` text NOT NULL,
	`issue_id` text,
	`issue_key` text,
	`rule_id` integer,
	`rule_version` integer,
	`intent_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pfj_links_entity_scope_idx` ON `pfj_links` (`entity_key`,`scope`);--> statement-breakpoint
CREATE INDEX `pfj_links_issue_idx` ON `pfj_links` (`issue_key`);--> statement-breakpoint
CREATE TABLE `pfj_rule_mappings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`rule_id` integer NOT NULL,
	`position` integer NOT NULL,
	`field_id` text NOT NULL,
	`source_type` text NOT NULL,
	`value` text NOT NULL,
	FOREIGN KEY (`rule_id`) REFERENCES `pfj_rules`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `pfj_rule_mappings_rule_idx` ON `pfj_rule_mappings` (`rule_id`,`position`);--> statement-breakpoint
CREATE TABLE `pfj_rule_versions` (
	`rule_id` integer NOT NULL,
	`version` integer NOT NULL,
	`snapshot` text NOT NULL,
	`saved_by` text,
	`saved_at` integer NOT NULL,
	PRIMARY KEY(`rule_id`, `version`)
);
--> statement-breakpoint
CREATE TABLE `pfj_rules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`priority` integer NOT NULL,
	`enabled` integer NOT NULL,
	`action` text NOT NULL,
	`event_types` text NOT NULL,
	`match` text NOT NULL,
	`conditions` text NOT NULL,
	`project_key` text,
	`issue_type_id` text,
	`issue_type_name` text,
	`version` integer NOT NULL,
	`validation_status` text NOT NULL,
	`validation_errors` text NOT NULL,
	`validated_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pfj_rules_priority_idx` ON `pfj_rules` (`priority`);--> statement-breakpoint
CREATE TABLE `pfj_state` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL
);
