-- Suppliers that can call us back sign their callbacks (Standard Webhooks) with this secret; null: polling only.
ALTER TABLE fulfillment.suppliers ADD COLUMN callback_secret text;
