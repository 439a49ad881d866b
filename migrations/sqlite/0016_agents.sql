-- Issue 17 item 2: each stored load names the agent that ran it (FetchAgent:AgentName, the host name unless set)
-- and that agent's location label (FetchAgent:Location). NULL on loads stored before, and for no location.
ALTER TABLE page_loads ADD COLUMN agent TEXT;
ALTER TABLE page_loads ADD COLUMN location TEXT;
