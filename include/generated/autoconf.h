/*
 * Automatically generated file; DO NOT EDIT.
 * Main menu
 */
#define CONFIG_GPIOLIB 1
#define CONFIG_DOORLOCK_MODULE 1
#define CONFIG_MODULES 1
#define CONFIG_NET 1
