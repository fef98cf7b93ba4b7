-- Schema version 2: what a lead needs (its qualification), on the leads' read model. Same text on PostgreSQL and H2.
-- Filled from LeadEntity.Qualified, which carries the lead's whole merged qualification; null until it is qualified.
-- The callback governor reads urgency: a lead whose urgency is EMERGENCY is called back before every other.
ALTER TABLE sb_leads ADD COLUMN service VARCHAR(40);
ALTER TABLE sb_leads ADD COLUMN zip VARCHAR(5);
ALTER TABLE sb_leads ADD COLUMN in_service_area BOOLEAN;
ALTER TABLE sb_leads ADD COLUMN urgency VARCHAR(16);
ALTER TABLE sb_leads ADD COLUMN customer_status VARCHAR(16);
ALTER TABLE sb_leads ADD COLUMN qualified_channel VARCHAR(8);
ALTER TABLE sb_leads ADD COLUMN qualified_at TIMESTAMP WITH TIME ZONE;
