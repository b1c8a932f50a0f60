"""tunebench trainers: data preparation and LoRA supervised fine-tuning."""
