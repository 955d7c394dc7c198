// SPDX-License-Identifier: GPL-2.0
/* The webhook retry schedule (README.md, Events), and Retry-After. */
#include "kselftest_harness.h"
#include "retry.h"

TEST(spec_schedule)
{
	static const long want[] = { 0, 5, 300, 1800, 7200, 18000, 36000,
				     36000 };
	unsigned int i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		EXPECT_EQ(want[i], retry_delay(&retry_default, i))
			TH_LOG("attempt %u", i);
	EXPECT_EQ(-1, retry_delay(&retry_default, 8));
	EXPECT_EQ(-1, retry_delay(&retry_default, 100));
}

TEST(retry_after_seconds)
{
	EXPECT_EQ(120, retry_after_parse("120", 0));
	EXPECT_EQ(7, retry_after_parse(" 7 ", 0));
	EXPECT_EQ(0, retry_after_parse("0", 0));
	/* Capped at a day: a receiver cannot park a lane for a year. */
	EXPECT_EQ(86400, retry_after_parse("99999999", 0));
}

TEST(retry_after_date)
{
	/* Wed, 21 Oct 2015 07:28:00 GMT is 1445412480. */
	EXPECT_EQ(60, retry_after_parse("Wed, 21 Oct 2015 07:28:00 GMT",
					1445412420));
	EXPECT_EQ(0, retry_after_parse("Wed, 21 Oct 2015 07:28:00 GMT",
				       1445412480 + 5));
}

TEST(retry_after_garbage)
{
	EXPECT_EQ(-EINVAL, retry_after_parse("soon", 0));
	EXPECT_EQ(-EINVAL, retry_after_parse("12abc", 0));
	EXPECT_EQ(-EINVAL, retry_after_parse("", 0));
	EXPECT_EQ(-EINVAL, retry_after_parse("-5", 0));
}

TEST_HARNESS_MAIN
