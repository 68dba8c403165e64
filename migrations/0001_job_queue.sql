CREATE TABLE `job_queues` (
	`queue_name` text PRIMARY KEY NOT NULL,
	`locked_at` integer,
	`locked_by` text
);
--> statement-breakpoint
CREATE TABLE `job_stats` (
	`task_identifier` text NOT NULL,
	`day` text NOT NULL,
	`succeeded` integer NOT NULL,
	`failed` integer NOT NULL,
	`dead` integer NOT NULL,
	`total_ms` integer NOT NULL,
	`max_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `job_stats_task_day` ON `job_stats` (`task_identifier`,`day`);--> statement-breakpoint
CREATE TABLE `jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`task_identifier` text NOT NULL,
	`pool` text NOT NULL,
	`queue_name` text,
	`payload` text NOT NULL,
	`priority` integer NOT NULL,
	`run_at` integer NOT NULL,
	`attempts` integer NOT NULL,
	`max_attempts` integer NOT NULL,
	`last_error` text,
	`errors` text NOT NULL,
	`key` text,
	`locked_at` integer,
	`locked_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `jobs_ready_idx` ON `jobs` (`pool`,`priority`,`run_at`,`id`) WHERE locked_at IS NULL AND attempts < max_attempts;--> statement-breakpoint
CREATE UNIQUE INDEX `jobs_key_idx` ON `jobs` (`key`) WHERE key IS NOT NULL;--> statement-breakpoint
CREATE INDEX `jobs_queue_idx` ON `jobs` (`queue_name`) WHERE queue_name IS NOT NULL;--> statement-breakpoint
CREATE TABLE `known_crontabs` (
	`identifier` text PRIMARY KEY NOT NULL,
	`known_since` integer NOT NULL,
	`last_execution` integer
);
