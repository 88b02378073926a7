print("shenzhou")
