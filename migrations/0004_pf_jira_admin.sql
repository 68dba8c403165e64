ALTER TABLE `pfj_events` ADD `problems` text;--> statement-breakpoint
ALTER TABLE `pfj_rules` ADD `board_id` integer;--> statement-breakpoint
ALTER TABLE `pfj_rules` ADD `board_name` text;