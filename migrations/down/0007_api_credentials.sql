-- Reverses 0007_api_credentials: API credentials and seen nonces go; nothing else refers to them.
DROP TABLE IF EXISTS `api_nonces`;--> statement-breakpoint
DROP TABLE IF EXISTS `api_credentials`;
