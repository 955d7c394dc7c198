autoconfig := include/config/auto.conf

deps_config := \
	/tmp/kc2/Kconfig \
	driver/Kconfig \

$(autoconfig): $(deps_config)
$(deps_config): ;
