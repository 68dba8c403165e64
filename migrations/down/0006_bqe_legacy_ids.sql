-- Reverses 0006_bqe_legacy_ids: rows promoted to a GUID get their numeric id back as the key, then the column goes.
UPDATE `integration_external_links` SET `external_id` = `legacy_external_id` WHERE `legacy_external_id` IS NOT NULL;--> statement-breakpoint
UPDATE `integration_clients` SET `external_id` = `legacy_external_id` WHERE `legacy_external_id` IS NOT NULL;--> statement-breakpoint
DROP INDEX IF EXISTS `integration_external_links_legacy_idx`;--> statement-breakpoint
DROP INDEX IF EXISTS `integration_clients_legacy_idx`;--> statement-breakpoint
ALTER TABLE `integration_external_links` DROP COLUMN `legacy_external_id`;--> statement-breakpoint
ALTER TABLE `integration_clients` DROP COLUMN `legacy_external_id`;
