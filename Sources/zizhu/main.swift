import ZizhuPipeline
print("zizhu")
