`${user.name} has ${items.length} items`
