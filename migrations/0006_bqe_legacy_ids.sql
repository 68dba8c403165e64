ALTER TABLE `integration_clients` ADD `legacy_external_id` text;--> statement-breakpoint
CREATE INDEX `integration_clients_legacy_idx` ON `integration_clients` (`connection_id`,`legacy_external_id`);--> statement-breakpoint
ALTER TABLE `integration_external_links` ADD `legacy_external_id` text;--> statement-breakpoint
CREATE INDEX `integration_external_links_legacy_idx` ON `integration_external_links` (`connection_id`,`object_type`,`legacy_external_id`);--> statement-breakpoint
-- Rows written before BQE ids became GUIDs hold the numeric id in external_id: keep it as the legacy id, so sync can promote the row to the GUID without losing what pointed at it.
UPDATE `integration_external_links` SET `legacy_external_id` = `external_id` WHERE `legacy_external_id` IS NULL AND `external_id` NOT LIKE '%-%-%-%-%';--> statement-breakpoint
UPDATE `integration_clients` SET `legacy_external_id` = `external_id` WHERE `legacy_external_id` IS NULL AND `external_id` NOT LIKE '%-%-%-%-%';
