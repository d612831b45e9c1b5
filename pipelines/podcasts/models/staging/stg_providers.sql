-- The providers declared in earshot.toml, as the build saw them (written by
-- the build into raw.provider_config): share, granularity, what they deliver
-- and the rank of each delivery in their precedence (1 = highest).
SELECT provider, market_share, granularity, delivers_instant, delivers_daily, delivers_monthly,
       rank_monthly, rank_daily, rank_instant
FROM raw.provider_config
